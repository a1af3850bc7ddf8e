import type { Role } from './roles.js';

/**
 * Which actions each role may take in the projects where it is granted. Roles marked
 * `readsEverywhere` may also read (`*.read`, `audit.read`, `pipeline.read-logs`) in every project.
 */
export const ROLE_PERMISSIONS: Record<Role, { actions: readonly string[]; readsEverywhere: boolean }> = {
  'platform-admin': { actions: ['*'], readsEverywhere: true },
  'team-lead': {
    actions: ['pipeline.run', 'pipeline.configure', 'pipeline.read-logs', 'environment.configure', 'deployment.approve', 'change.approve', 'project.read'],
    readsEverywhere: true,
  },
  developer: { actions: ['pipeline.run', 'pipeline.configure', 'pipeline.read-logs', 'change.create', 'project.read'], readsEverywhere: true },
  qa: { actions: ['build.approve', 'test.sign-off', 'pipeline.run', 'pipeline.read-logs', 'project.read'], readsEverywhere: false },
  'release-manager': { actions: ['version.tag', 'deployment.approve', 'pipeline.read-logs', 'project.read'], readsEverywhere: false },
  operations: { actions: ['rollback.trigger', 'deployment.execute', 'pipeline.read-logs', 'project.read'], readsEverywhere: false },
  'compliance-officer': { actions: ['audit.read', 'project.read'], readsEverywhere: true },
  auditor: { actions: ['audit.read', 'project.read'], readsEverywhere: true },
  pipeline: {
    actions: ['cdevent.ingest', 'artifact.register', 'gate.evaluate', 'approval.request', 'pipeline.run', 'project.read'],
    readsEverywhere: false,
  },
};

const READ_ACTIONS = new Set(['audit.read', 'project.read', 'pipeline.read-logs']);

export const isReadAction = (action: string) => READ_ACTIONS.has(action) || action.endsWith('.read');
