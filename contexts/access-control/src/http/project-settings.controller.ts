import { createPublicKey } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FieldError } from '#kernel';
import { Invalid, NotFound } from '#kernel';
import type { AuthenticatedPrincipal } from '#platform';
import { CurrentPrincipal } from '#platform';
import { AccessControlService } from '../application/access-control.service.js';
import { PolicyAuthorizer } from '../application/policy/policy-authorizer.js';
import type { ProjectSettings } from '../domain/project-settings.js';
import { PROJECT_ID_PATTERN } from '../domain/roles.js';
import { AccessControlQueries } from '../read-models/access-control.queries.js';
import { ProjectSettingsDto } from './project-settings.dto.js';

const EXAMPLE = {
  project: 'payments',
  environments: ['dev', 'staging', 'production'],
  productionEnvironments: ['production'],
  trustedKeys: [{ keyId: 'release-2026', algorithm: 'ed25519', publicKey: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n' }],
  allowedBuilders: [{ id: 'https://github.com/actions/runner', slsaLevel: 3 }],
  expectedSource: { repository: 'https://github.com/acme/payments', ref: 'refs/heads/main' },
  sbomMaxAgeDays: 30,
  maxVulnerabilitySeverity: 'medium',
  approvalPolicies: [{ action: 'deployment.approve', environment: 'production', rules: [{ role: 'release-manager', count: 1 }] }],
  allowedIdentities: [
    {
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'https://github.com/acme/payments/.github/workflows/release.yml@refs/heads/main',
    },
  ],
  requiredLabels: ['org.opencontainers.image.source'],
  infrastructureCostThreshold: 500,
  gateModes: [{ environment: 'dev', mode: 'audit' }],
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'admin',
};

@ApiTags('access-control')
@Controller('v1/projects/:id/settings')
export class ProjectSettingsController {
  constructor(
    private readonly service: AccessControlService,
    private readonly queries: AccessControlQueries,
    private readonly authorizer: PolicyAuthorizer,
  ) {}

  @Get()
  @ApiOperation({ summary: "A project's settings (the defaults until first configured)" })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  async get(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Param('id') projectId: string) {
    requireProjectId(projectId);
    await this.authorizer.require({
      principal: actor,
      action: 'project.read',
      resource: { type: 'project', id: projectId, project: projectId },
    });
    const settings = await this.queries.settingsOf(projectId);
    if (!settings) throw new NotFound(`project ${projectId} not found`);
    return settings;
  }

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: "Replace a project's settings (platform-admin of the project); recorded as ProjectSettingsChanged" })
  @ApiOkResponse({ schema: { example: EXAMPLE } })
  async put(@CurrentPrincipal() actor: AuthenticatedPrincipal, @Param('id') projectId: string, @Body() dto: ProjectSettingsDto) {
    requireProjectId(projectId);
    const settings = normalize(dto);
    await this.service.changeProjectSettings(actor, projectId, settings);
    const view = await this.queries.settingsOf(projectId);
    if (!view) throw new NotFound(`project ${projectId} not found`);
    return view;
  }
}

function requireProjectId(projectId: string): void {
  if (!PROJECT_ID_PATTERN.test(projectId)) throw new NotFound(`project ${projectId} not found`);
}

/** A fixed key order and explicit defaults, so equal documents compare equal; keys must parse. */
function normalize(dto: ProjectSettingsDto): ProjectSettings {
  const errors: FieldError[] = [];
  const trustedKeys = (dto.trustedKeys ?? []).map((k, i) => {
    try {
      const key = createPublicKey(k.publicKey);
      const matches =
        k.algorithm === 'ed25519'
          ? key.asymmetricKeyType === 'ed25519'
          : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
      if (!matches) errors.push({ pointer: `/trustedKeys/${i}/publicKey`, message: `is not an ${k.algorithm} public key` });
    } catch {
      errors.push({ pointer: `/trustedKeys/${i}/publicKey`, message: 'is not a readable public key' });
    }
    return { keyId: k.keyId, algorithm: k.algorithm, publicKey: k.publicKey };
  });
  if (errors.length > 0) throw new Invalid('the request body has invalid fields', errors);
  const rules = (list: { role: string; count: number }[]) => list.map((r) => ({ role: r.role, count: r.count }));
  return {
    environments: [...dto.environments],
    productionEnvironments: [...dto.productionEnvironments],
    trustedKeys,
    allowedBuilders: (dto.allowedBuilders ?? []).map((b) => ({ id: b.id, slsaLevel: b.slsaLevel })),
    expectedSource: dto.expectedSource ? { repository: dto.expectedSource.repository, ref: dto.expectedSource.ref } : null,
    sbomMaxAgeDays: dto.sbomMaxAgeDays ?? null,
    maxVulnerabilitySeverity: dto.maxVulnerabilitySeverity ?? null,
    approvalPolicies: (dto.approvalPolicies ?? []).map((p) => ({
      action: p.action,
      ...(p.environment !== undefined ? { environment: p.environment } : {}),
      rules: rules(p.rules),
      ...(p.waitSeconds !== undefined ? { waitSeconds: p.waitSeconds } : {}),
      ...(p.expiresInSeconds !== undefined ? { expiresInSeconds: p.expiresInSeconds } : {}),
      ...(p.emergency ? { emergency: { rules: rules(p.emergency.rules), reviewWithinSeconds: p.emergency.reviewWithinSeconds } } : {}),
    })),
    allowedIdentities: (dto.allowedIdentities ?? []).map((i) => ({ issuer: i.issuer, subject: i.subject })),
    requiredLabels: [...(dto.requiredLabels ?? [])],
    infrastructureCostThreshold: dto.infrastructureCostThreshold ?? null,
    gateModes: (dto.gateModes ?? []).map((g) => ({ environment: g.environment, mode: g.mode })),
  };
}
