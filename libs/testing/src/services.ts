/** Addresses of the real services that `scripts/services.sh up` starts, overridable by environment. */
export function testDatabaseUrl(): string {
  return process.env['DATABASE_URL'] ?? 'postgres://ledger:ledger@127.0.0.1:5432/ledger_test';
}

export function testKafkaBrokers(): string[] {
  return (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
}

export function testOpaUrl(): string {
  return process.env['OPA_URL'] ?? 'http://127.0.0.1:8181';
}
