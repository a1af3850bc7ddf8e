import { once } from 'node:events';
import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthenticatedPrincipal } from '#platform';
import { CurrentPrincipal } from '#platform';
import { AuditLogService } from '../application/audit-log.service.js';
import {
  CheckpointDto,
  ConsistencyProofDto,
  ConsistencyProofQueryDto,
  InclusionProofDto,
  InclusionProofQueryDto,
  PublicKeyDto,
  VerificationDto,
} from './audit-log.dto.js';

const AUDIT_ROLES = 'compliance-officer, auditor or platform-admin';

@ApiTags('audit-log')
@ApiUnauthorizedResponse({ description: 'no, unknown, revoked or expired bearer token' })
@Controller('v1/audit')
export class AuditLogController {
  constructor(private readonly service: AuditLogService) {}

  @Get('log/checkpoint')
  @ApiOperation({ summary: 'The latest signed checkpoint of the tamper-evident log (C2SP tlog-checkpoint, Ed25519)' })
  @ApiOkResponse({ type: CheckpointDto })
  @ApiNotFoundResponse({ description: 'nothing signed yet' })
  async checkpoint(): Promise<CheckpointDto> {
    const { treeSize, rootHash, timestamp, signature, publicKey, note } = await this.service.checkpoint();
    return { treeSize, rootHash, timestamp, signature, publicKey, note };
  }

  @Get('log/public-key')
  @ApiOperation({ summary: "The log's Ed25519 public key and C2SP verifier key, to pin in verifiers" })
  @ApiOkResponse({ type: PublicKeyDto })
  publicKey(): PublicKeyDto {
    return this.service.publicKey();
  }

  @Get('log/proofs/inclusion')
  @ApiOperation({ summary: `RFC 6962 inclusion proof of one event (by global position or id) in a signed tree (${AUDIT_ROLES})` })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiBadRequestResponse({ description: 'bad parameters, or a treeSize beyond the latest checkpoint' })
  @ApiForbiddenResponse({ description: 'the caller may not read the audit trail' })
  @ApiNotFoundResponse({ description: 'no such event, or not sealed yet' })
  async inclusion(
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
    @Query() query: InclusionProofQueryDto,
  ): Promise<InclusionProofDto> {
    const proof = await this.service.inclusionProof(principal, query);
    return { ...proof, hashes: [...proof.hashes] };
  }

  @Get('log/proofs/consistency')
  @ApiOperation({ summary: `RFC 6962 consistency proof that tree size "from" is a prefix of tree size "to" (${AUDIT_ROLES})` })
  @ApiOkResponse({ type: ConsistencyProofDto })
  @ApiBadRequestResponse({ description: 'bad parameters, from > to, or to beyond the latest checkpoint' })
  @ApiForbiddenResponse({ description: 'the caller may not read the audit trail' })
  async consistency(
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
    @Query() query: ConsistencyProofQueryDto,
  ): Promise<ConsistencyProofDto> {
    const proof = await this.service.consistencyProof(principal, query.from, query.to);
    return { ...proof, hashes: [...proof.hashes] };
  }

  @Get('log/export')
  @ApiOperation({
    summary: `The whole sealed log as JSON lines for offline verification (${AUDIT_ROLES})`,
    description:
      'Line 1: {"format":"compliance-ledger.audit-log-export.v1","checkpoint":{…}}; then one line per leaf in order: ' +
      '{"leafIndex", "leaf":{position, eventId, leafHash}, "event":{position, eventId, streamId, streamVersion, type, data, metadata, recordedAt}}. ' +
      'Check it with `npx compliance-ledger verify --export FILE --public-key KEY`.',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'streamed JSON lines' })
  @ApiForbiddenResponse({ description: 'the caller may not export the audit trail' })
  async export(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Res() response: Response): Promise<void> {
    const { checkpoint, chunks } = await this.service.exportChunks(principal);
    response.status(200).type('application/x-ndjson');
    response.setHeader('content-disposition', `attachment; filename="audit-log-${checkpoint.treeSize}.jsonl"`);
    try {
      for await (const chunk of chunks) {
        if (response.write(chunk)) continue;
        await Promise.race([once(response, 'drain'), once(response, 'close')]);
        if (response.destroyed) return;
      }
      response.end();
    } catch (error) {
      // The status line is gone already: cut the stream so the client sees a truncated download.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: `Re-read every event and check it against the sealed log and its signed root (${AUDIT_ROLES})`,
    description:
      'Detects modified, deleted, inserted and reordered events and names the first bad position. A failure is a 200 with ok: false.',
  })
  @ApiOkResponse({ type: VerificationDto })
  @ApiForbiddenResponse({ description: 'the caller may not verify the audit trail' })
  async verify(@CurrentPrincipal() principal: AuthenticatedPrincipal): Promise<VerificationDto> {
    return this.service.verify(principal);
  }
}
