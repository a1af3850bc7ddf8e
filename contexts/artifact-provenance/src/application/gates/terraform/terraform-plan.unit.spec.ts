import { readFileSync } from 'node:fs';
import { Invalid } from '#kernel';
import { parseTerraformPlan } from './terraform-plan.js';

const webTier = (): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL('./fixtures/web-tier.plan.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function errorsOf(input: unknown): { pointer: string; message: string }[] {
  try {
    parseTerraformPlan(input);
  } catch (e) {
    expect(e).toBeInstanceOf(Invalid);
    return [...(e as Invalid).errors];
  }
  throw new Error('expected Invalid');
}
const pointers = (input: unknown) => errorsOf(input).map((e) => e.pointer);

const minimal = (over: Record<string, unknown> = {}) => ({ format_version: '1.2', planned_values: { root_module: {} }, ...over });
const withChange = (change: unknown) => minimal({ resource_changes: [change] });
const resource = (change: Record<string, unknown>) => ({ address: 'aws_vpc.main', mode: 'managed', type: 'aws_vpc', name: 'main', change });

describe('parseTerraformPlan', () => {
  it('reads the versions and every resource change of a plan, keeping after and after_unknown', () => {
    const plan = parseTerraformPlan(webTier());
    expect(plan.formatVersion).toBe('1.2');
    expect(plan.terraformVersion).toBe('1.9.5');
    expect(plan.errored).toBe(false);
    expect(plan.resourceChanges.map((c) => [c.address, c.mode, c.change.actions])).toEqual([
      ['aws_vpc.main', 'managed', ['create']],
      ['aws_security_group.web', 'managed', ['create']],
      ['aws_security_group_rule.admin', 'managed', ['create']],
      ['aws_security_group.legacy', 'managed', ['delete']],
      ['data.aws_ami.base', 'data', ['read']],
    ]);
    const vpc = plan.resourceChanges[0]!;
    expect(vpc).toMatchObject({ type: 'aws_vpc', name: 'main' });
    expect(vpc.change.after).toMatchObject({ cidr_block: '10.20.0.0/16' });
    expect(vpc.change.afterUnknown).toMatchObject({ id: true });
    expect(plan.resourceChanges[3]!.change.after).toBeUndefined();
  });

  it('reads a plan without changes: Terraform leaves resource_changes out', () => {
    expect(parseTerraformPlan(minimal()).resourceChanges).toEqual([]);
  });

  it('keeps that a plan errored', () => {
    expect(parseTerraformPlan(minimal({ errored: true })).errored).toBe(true);
  });

  it('accepts format 0.x of Terraform 0.12–1.0 and an after_unknown of true (the whole value unknown)', () => {
    const plan = parseTerraformPlan({ ...withChange(resource({ actions: ['update'], after_unknown: true })), format_version: '0.2' });
    expect(plan.resourceChanges[0]!.change.afterUnknown).toBe(true);
  });

  it('refuses what is not an object', () => {
    for (const input of [null, [], 'plan', 3]) expect(pointers(input)).toEqual(['']);
  });

  it('requires format_version, and one of a known major version', () => {
    const { format_version: _, ...noVersion } = webTier();
    expect(pointers(noVersion)).toEqual(['/format_version']);
    expect(pointers(minimal({ format_version: 1.2 }))).toEqual(['/format_version']);
    expect(pointers(minimal({ format_version: '1' }))).toEqual(['/format_version']);
    const [unsupported] = errorsOf(minimal({ format_version: '2.0' }));
    expect(unsupported).toEqual({ pointer: '/format_version', message: expect.stringContaining('2.0 is not supported') });
  });

  it('tells state from a plan: state has values, not planned_values', () => {
    const [error] = errorsOf({ format_version: '1.0', terraform_version: '1.9.5', values: { root_module: {} } });
    expect(error).toEqual({ pointer: '/planned_values', message: expect.stringContaining('Terraform state') });
    expect(pointers({ format_version: '1.0' })).toEqual(['/planned_values']);
    expect(pointers(minimal({ planned_values: [] }))).toEqual(['/planned_values']);
  });

  it('refuses resource_changes that is not an array, and a bad terraform_version or errored', () => {
    expect(pointers(minimal({ resource_changes: {} }))).toEqual(['/resource_changes']);
    expect(pointers(minimal({ terraform_version: 1, errored: 'no' }))).toEqual(['/terraform_version', '/errored']);
  });

  it('points at each missing or mistyped member of a resource change', () => {
    expect(pointers(withChange('aws_vpc.main'))).toEqual(['/resource_changes/0']);
    expect(pointers(withChange({ change: { actions: ['create'] } }))).toEqual([
      '/resource_changes/0/address',
      '/resource_changes/0/type',
      '/resource_changes/0/name',
      '/resource_changes/0/mode',
    ]);
    expect(pointers(withChange({ ...resource({}), address: '' }))).toEqual([
      '/resource_changes/0/address',
      '/resource_changes/0/change/actions',
    ]);
    expect(pointers(withChange({ ...resource({}), change: undefined }))).toEqual(['/resource_changes/0/change']);
  });

  it('requires a change to name its actions, as strings', () => {
    const plan = webTier();
    const changes = plan.resource_changes as { change: Record<string, unknown> }[];
    delete changes[2]!.change.actions;
    expect(pointers(plan)).toEqual(['/resource_changes/2/change/actions']);
    expect(pointers(withChange(resource({ actions: 'create' })))).toEqual(['/resource_changes/0/change/actions']);
    expect(pointers(withChange(resource({ actions: [] })))).toEqual(['/resource_changes/0/change/actions']);
    expect(pointers(withChange(resource({ actions: ['delete', 7] })))).toEqual(['/resource_changes/0/change/actions/1']);
  });

  it('refuses an after that is not an object and an after_unknown that is neither object nor boolean', () => {
    expect(pointers(withChange(resource({ actions: ['create'], after: ['x'], after_unknown: 'yes' })))).toEqual([
      '/resource_changes/0/change/after',
      '/resource_changes/0/change/after_unknown',
    ]);
  });

  it('reports errors of several changes at once, each at its index', () => {
    const plan = minimal({ resource_changes: [resource({ actions: ['create'] }), resource({}), 'x', resource({ actions: [''] })] });
    expect(pointers(plan)).toEqual(['/resource_changes/1/change/actions', '/resource_changes/2', '/resource_changes/3/change/actions/0']);
  });
});
