import { Invalid } from '#kernel';
import type { AuthenticatedPrincipal, Authorization, Authorizer } from '#platform';

const INGEST = 'cdevent.ingest';

const ingestRequest = (principal: AuthenticatedPrincipal, project?: string) => ({
  principal,
  action: INGEST,
  resource: { type: 'project', ...(project ? { id: project, project } : {}) },
});

/**
 * The project a CDEvent is filed under: the one project the principal may ingest into (its
 * `pipeline` grant), or the one it names with `?project=` — which it must name when it may
 * ingest into several (or, as a platform admin, into every) project. Refusals come from the
 * policy decision point, naming its rule. An allowed decision comes back unrecorded: the
 * caller commits its record with the events it allowed.
 */
export async function resolveIngestProject(
  authorizer: Authorizer,
  principal: AuthenticatedPrincipal,
  requested: string | undefined,
): Promise<{ project: string; decision: Authorization }> {
  if (requested !== undefined) {
    return { project: requested, decision: await authorizer.authorize(ingestRequest(principal, requested)) };
  }
  const projects = await authorizer.projectsWhere(principal, INGEST);
  if (projects !== '*' && projects.length === 1) {
    const project = projects[0]!;
    return { project, decision: await authorizer.authorize(ingestRequest(principal, project)) };
  }
  if (projects !== '*' && projects.length === 0) {
    await authorizer.require(ingestRequest(principal));
  }
  const choices = projects === '*' ? 'every project' : projects.join(', ');
  throw new Invalid('name the project to file the CDEvents under', [
    { pointer: '/project', message: `required: ${principal.id} may ingest into ${choices}; send ?project=<id>` },
  ]);
}
