import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { GATE_MODES, SEVERITIES } from '../domain/project-settings.js';
import { ROLES } from '../domain/roles.js';

const ENV_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const ENV_MESSAGE = 'must be lowercase letters, digits, ".", "_" or "-" (at most 63)';
const PEM = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

export class TrustedKeyDto {
  @ApiProperty({ example: 'release-2026' })
  @IsString()
  @Length(1, 200)
  keyId!: string;

  @ApiProperty({ enum: ['ed25519', 'ecdsa-p256'] })
  @IsIn(['ed25519', 'ecdsa-p256'], { message: 'must be ed25519 or ecdsa-p256' })
  algorithm!: 'ed25519' | 'ecdsa-p256';

  @ApiProperty({ description: 'SPKI public key, PEM ("-----BEGIN PUBLIC KEY-----")' })
  @IsString()
  @Length(1, 10_000)
  @Matches(PEM, { message: 'must be a PEM "PUBLIC KEY" block' })
  publicKey!: string;
}

export class AllowedBuilderDto {
  @ApiProperty({ example: 'https://github.com/actions/runner' })
  @IsString()
  @Length(1, 500)
  id!: string;

  @ApiProperty({ example: 3, minimum: 0, maximum: 4 })
  @IsInt()
  @Min(0)
  @Max(4)
  slsaLevel!: number;
}

export class ExpectedSourceDto {
  @ApiProperty({ example: 'https://github.com/acme/payments' })
  @IsString()
  @Length(1, 500)
  repository!: string;

  @ApiProperty({ example: 'refs/heads/main' })
  @IsString()
  @Length(1, 500)
  ref!: string;
}

export class ApprovalRuleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `must be one of ${ROLES.join(', ')}` })
  role!: (typeof ROLES)[number];

  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100)
  count!: number;
}

export class EmergencyPolicyDto {
  @ApiProperty({ type: [ApprovalRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ApprovalRuleDto)
  rules!: ApprovalRuleDto[];

  @ApiProperty({ example: 86400, description: 'seconds within which the emergency must be reviewed' })
  @IsInt()
  @Min(1)
  reviewWithinSeconds!: number;
}

export class ApprovalPolicyDto {
  @ApiProperty({ example: 'deployment.approve' })
  @IsString()
  @Matches(/^[a-z][a-z-]*\.[a-z][a-z-]*$/, { message: 'must be an action such as deployment.approve' })
  action!: string;

  @ApiPropertyOptional({ example: 'production' })
  @IsOptional()
  @IsString()
  @Matches(ENV_NAME, { message: ENV_MESSAGE })
  environment?: string;

  @ApiProperty({ type: [ApprovalRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => ApprovalRuleDto)
  rules!: ApprovalRuleDto[];

  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  waitSeconds?: number;

  @ApiPropertyOptional({ example: 86400 })
  @IsOptional()
  @IsInt()
  @Min(1)
  expiresInSeconds?: number;

  @ApiPropertyOptional({ type: EmergencyPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmergencyPolicyDto)
  emergency?: EmergencyPolicyDto;
}

export class AllowedIdentityDto {
  @ApiProperty({ example: 'https://token.actions.githubusercontent.com', description: 'OIDC issuer of the signing certificate' })
  @IsString()
  @Length(1, 500)
  issuer!: string;

  @ApiProperty({
    example: 'https://github.com/acme/payments/.github/workflows/release.yml@refs/heads/main',
    description: "the certificate's subject (SAN): an e-mail or a URI; matched exactly",
  })
  @IsString()
  @Length(1, 1000)
  subject!: string;
}

export class GateModeDto {
  @ApiProperty({ example: 'dev' })
  @IsString()
  @Matches(ENV_NAME, { message: ENV_MESSAGE })
  environment!: string;

  @ApiProperty({ enum: GATE_MODES, description: '`audit` records what the gate would deny but allows' })
  @IsIn(GATE_MODES, { message: `must be one of ${GATE_MODES.join(', ')}` })
  mode!: (typeof GATE_MODES)[number];
}

/** The whole settings document; PUT replaces it (omitted optional fields take their defaults). */
export class ProjectSettingsDto {
  @ApiProperty({ example: ['dev', 'staging', 'production'], description: 'in promotion order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(ENV_NAME, { each: true, message: ENV_MESSAGE })
  environments!: string[];

  @ApiProperty({ example: ['production'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(63, { each: true })
  productionEnvironments!: string[];

  @ApiPropertyOptional({ type: [TrustedKeyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TrustedKeyDto)
  trustedKeys?: TrustedKeyDto[];

  @ApiPropertyOptional({ type: [AllowedBuilderDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AllowedBuilderDto)
  allowedBuilders?: AllowedBuilderDto[];

  @ApiPropertyOptional({ type: ExpectedSourceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExpectedSourceDto)
  expectedSource?: ExpectedSourceDto;

  @ApiPropertyOptional({ example: 30 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  sbomMaxAgeDays?: number;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'highest vulnerability severity tolerated' })
  @IsOptional()
  @IsIn(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` })
  maxVulnerabilitySeverity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ type: [ApprovalPolicyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ApprovalPolicyDto)
  approvalPolicies?: ApprovalPolicyDto[];

  @ApiPropertyOptional({ type: [AllowedIdentityDto], description: 'keyless (Sigstore) signers whose bundles count as signatures' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => AllowedIdentityDto)
  allowedIdentities?: AllowedIdentityDto[];

  @ApiPropertyOptional({ example: ['org.opencontainers.image.source'], description: 'labels the build gate requires' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  requiredLabels?: string[];

  @ApiPropertyOptional({ example: 500, description: 'estimated monthly cost above which an infrastructure change needs an approval' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  infrastructureCostThreshold?: number;

  @ApiPropertyOptional({ type: [GateModeDto], description: 'gate mode per environment; unlisted environments enforce' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => GateModeDto)
  gateModes?: GateModeDto[];
}
