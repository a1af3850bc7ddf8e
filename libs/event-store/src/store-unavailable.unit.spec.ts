import { isStoreUnavailable } from './store-unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isStoreUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a connection exception (class 08)', withCode('08006')],
    ['an administrator shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['a server still starting', withCode('57P03', 'the database system is starting up')],
    ['too many connections', withCode('53300')],
    ['a connection lost mid-query (pg, no code)', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a wrapped cause', new Error('append failed', { cause: withCode('ECONNRESET') })],
    ['KurrentDB without a reachable node', Object.assign(new Error('no leader'), { name: 'UnavailableError' })],
  ])('is true for %s', (_, error) => expect(isStoreUnavailable(error)).toBe(true));

  it.each([
    ['a constraint violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a data exception', withCode('22008', 'date/time field value out of range')],
    ['a missing table (a bug)', withCode('42P01', 'relation "x" does not exist')],
    ['a plain programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['no error at all', undefined],
  ])('is false for %s', (_, error) => expect(isStoreUnavailable(error)).toBe(false));
});
