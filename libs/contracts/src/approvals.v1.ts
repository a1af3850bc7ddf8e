import type { IntegrationEvent } from './integration-event.js';

/**
 * What Approvals publishes on `approvals.events.v1` (the contract other contexts build on; the
 * Approvals context publishes it). An approval is bound to one exact subject: for a deployment,
 * an artifact digest and environment.
 */
export const APPROVALS_V1 = {
  approvalGranted: 'dev.compliance-ledger.approvals.approval-granted.v1',
  /** A granted approval that no longer counts: withdrawn, expired, or voided by a change of its subject. */
  approvalVoided: 'dev.compliance-ledger.approvals.approval-voided.v1',
} as const;

export interface ApprovalSubjectV1 {
  readonly type: 'artifact' | 'change' | 'plan';
  readonly id: string;
  readonly digest: string | null;
}

export type ApprovalGrantedV1 = IntegrationEvent<
  typeof APPROVALS_V1.approvalGranted,
  {
    approvalId: string;
    project: string;
    action: string;
    environment: string | null;
    subject: ApprovalSubjectV1;
    emergency: boolean;
    /** RFC 3339; null when it does not expire. */
    expiresAt: string | null;
    approvers: string[];
  }
>;

export type ApprovalVoidedV1 = IntegrationEvent<
  typeof APPROVALS_V1.approvalVoided,
  { approvalId: string; project: string; reason: string }
>;

export type ApprovalsEventV1 = ApprovalGrantedV1 | ApprovalVoidedV1;
