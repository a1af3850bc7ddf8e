import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Query strings carry text: decimal digits become numbers, anything else stays and fails IsInt. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
const INTEGER = { message: 'must be a non-negative integer' };

export class InclusionProofQueryDto {
  @ApiPropertyOptional({ example: 42, description: "the event's global position (give this or eventId)" })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(INTEGER)
  @Min(0, INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  position?: number;

  @ApiPropertyOptional({ example: '0b7e3c1a-…', description: "the event's id (give this or position)" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  eventId?: string;

  @ApiPropertyOptional({ example: 1000, description: 'tree size to prove against; default: the latest checkpoint' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(INTEGER)
  @Min(1, { message: 'must be at least 1' })
  @Max(Number.MAX_SAFE_INTEGER)
  treeSize?: number;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ example: 500, description: 'the older tree size' })
  @Transform(toInteger)
  @IsInt(INTEGER)
  @Min(0, INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  from!: number;

  @ApiProperty({ example: 1000, description: 'the newer tree size, at most the latest checkpoint' })
  @Transform(toInteger)
  @IsInt(INTEGER)
  @Min(0, INTEGER)
  @Max(Number.MAX_SAFE_INTEGER)
  to!: number;
}

export class CheckpointDto {
  @ApiProperty({ example: 1000 }) treeSize!: number;
  @ApiProperty({ example: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', description: 'RFC 6962 root hash, hex' })
  rootHash!: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z', description: 'RFC 3339, signed with the rest' }) timestamp!: string;
  @ApiProperty({ description: 'base64 Ed25519 signature over the note body' }) signature!: string;
  @ApiProperty({ description: 'base64 raw 32-byte Ed25519 public key' }) publicKey!: string;
  @ApiProperty({
    description: 'C2SP tlog-checkpoint signed note: origin, tree size, base64 root, "timestamp <RFC 3339>", blank line, signature line',
    example:
      'compliance-ledger/audit-log\n1000\nXcnaeacGWamtVZy3Ad7Zoqudgjqtl0lgz+Nw7/RgQyg=\ntimestamp 2026-01-01T00:00:00.000Z\n\n— compliance-ledger/audit-log AbCd…\n',
  })
  note!: string;
}

export class PublicKeyDto {
  @ApiProperty({ description: 'base64 raw 32-byte Ed25519 public key' }) publicKey!: string;
  @ApiProperty({ example: 'compliance-ledger/audit-log', description: 'checkpoint origin and key name' }) origin!: string;
  @ApiProperty({ description: 'C2SP verifier key `<origin>+<key hash>+<base64 key>`' }) verifierKey!: string;
}

export class InclusionProofDto {
  @ApiProperty({ example: 41 }) leafIndex!: number;
  @ApiProperty({ example: 1000 }) treeSize!: number;
  @ApiProperty({ description: "SHA-256(0x00 || the event's canonical bytes), hex" }) leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 6962 audit path, leaf side first, hex' }) hashes!: string[];
  @ApiProperty({ example: 42 }) position!: number;
  @ApiProperty() eventId!: string;
}

export class ConsistencyProofDto {
  @ApiProperty({ example: 500 }) from!: number;
  @ApiProperty({ example: 1000 }) to!: number;
  @ApiProperty({ type: [String], description: 'RFC 6962 consistency proof, hex' }) hashes!: string[];
}

export class VerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 1000 }) checkedEvents!: number;
  @ApiProperty({ example: 1000 }) treeSize!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'global position of the first bad event (for a deleted one, the position sealed there)',
  })
  firstMismatchPosition!: number | null;
  @ApiProperty({ nullable: true, type: Number }) firstMismatchLeafIndex!: number | null;
  @ApiProperty({
    nullable: true,
    enum: ['checkpoint-invalid', 'leaf-mismatch', 'stored-hash-mismatch', 'missing-events', 'root-mismatch'],
  })
  problem!: string | null;
  @ApiProperty({ description: 'signed root hash, hex' }) rootHash!: string;
  @ApiProperty({ nullable: true, type: String, description: 'root of the events as found, hex' }) computedRoot!: string | null;
  @ApiProperty({ example: '1000 events match the signed checkpoint at tree size 1000' }) detail!: string;
}
