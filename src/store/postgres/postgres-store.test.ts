import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { storeConformance } from '../../../test/store-conformance.js';
import { isBalanceOpsError } from '../../errors.js';
import { PostgresStore } from './postgres-store.js';

const url = process.env.BALANCEOPS_TEST_PG_URL;
const required = process.env.BALANCEOPS_REQUIRE_PG === '1';

if (url === undefined) {
  describe('store conformance: postgres', () => {
    it('needs a PostgreSQL server (scripts/pg-test-server.sh start)', (t) => {
      if (required) assert.fail('BALANCEOPS_REQUIRE_PG=1 but BALANCEOPS_TEST_PG_URL is not set');
      t.skip('BALANCEOPS_TEST_PG_URL is not set');
    });
  });
} else {
  const schemas: string[] = [];
  const freshSchema = () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return schema;
  };
  after(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await client.end();
  });

  storeConformance('postgres', () => PostgresStore.open(url, { schema: freshSchema(), maxConnections: 4 }));

  describe('postgres open', () => {
    it('migrates a fresh schema from many connections at once', async () => {
      const schema = freshSchema();
      const stores = await Promise.all(
        Array.from({ length: 8 }, () => PostgresStore.open(url, { schema, maxConnections: 2 })),
      );
      try {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${schema}.balanceops_schema`);
        await client.end();
        assert.equal(rows[0].n, 1, 'each migration applied exactly once');
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('names the database when it cannot connect', async () => {
      await assert.rejects(
        PostgresStore.open('postgres://nobody@127.0.0.1:1/none', { label: 'postgres://127.0.0.1:1/none' }),
        (err) => isBalanceOpsError(err, 'STORE_OPEN_FAILED') && err.message.includes('127.0.0.1:1'),
      );
    });
  });
}
