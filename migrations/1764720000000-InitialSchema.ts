import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

// Portable schema API only: this very file runs on SQLite and on MySQL.
const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const tenantId: TableColumnOptions = { name: 'tenant_id', type: 'int' };
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const text = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
const int = (name: string, nullable = false, dflt?: number): TableColumnOptions => ({
  name,
  type: 'int',
  isNullable: nullable,
  default: dflt,
});
const dbl = (name: string, nullable = true, dflt?: number): TableColumnOptions => ({
  name,
  type: 'double',
  isNullable: nullable,
  default: dflt,
});
const bool = (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', default: dflt });
const date = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'datetime',
  isNullable: nullable,
});
const created = (name = 'created_at'): TableColumnOptions => ({
  name,
  type: 'datetime',
  default: 'CURRENT_TIMESTAMP',
});

const tables: Table[] = [
  new Table({
    name: 'tenants',
    columns: [
      id,
      str('company_id', 100),
      str('site', 255),
      str('api_host', 255),
      str('codebase', 100),
      text('public_key'),
      text('private_key'),
      text('settings', false),
      text('hosted_entries', false),
      bool('setup_complete', false),
      date('uninstalled_at'),
      created(),
      created('updated_at'),
    ],
    indices: [new TableIndex({ name: 'uq_tenants_company', columnNames: ['company_id'], isUnique: true })],
  }),
  new Table({
    name: 'appriver_connections',
    columns: [
      id,
      tenantId,
      text('client_id'),
      text('client_secret'),
      text('access_token'),
      date('access_token_expires_at'),
      text('refresh_token'),
      date('refreshed_at'),
      { ...str('status', 32), default: "'not_connected'" },
      text('message'),
      date('last_import_at'),
      int('version', false, 0),
      created('updated_at'),
    ],
    indices: [
      new TableIndex({ name: 'uq_appriver_connections_tenant', columnNames: ['tenant_id'], isUnique: true }),
    ],
  }),
  new Table({
    name: 'oauth_states',
    columns: [
      id,
      tenantId,
      str('member_id', 100),
      str('state', 64),
      str('ticket', 64),
      date('expires_at', false),
      date('ticket_used_at'),
      date('used_at'),
    ],
    indices: [
      new TableIndex({ name: 'uq_oauth_states_state', columnNames: ['state'], isUnique: true }),
      new TableIndex({ name: 'uq_oauth_states_ticket', columnNames: ['ticket'], isUnique: true }),
    ],
  }),
  new Table({
    name: 'vendor_accounts',
    columns: [
      id,
      tenantId,
      str('customer_id', 64),
      str('customer_number', 64, true),
      str('name', 255),
      str('customer_type', 32, true),
      str('external_number', 255, true),
      str('website', 255, true),
      bool('billable', true),
      text('problem'),
      date('last_seen_at', false),
      date('gone_at'),
    ],
    indices: [
      new TableIndex({
        name: 'uq_vendor_accounts_customer',
        columnNames: ['tenant_id', 'customer_id'],
        isUnique: true,
      }),
    ],
  }),
  new Table({
    name: 'vendor_services',
    columns: [
      id,
      tenantId,
      str('service_key', 400),
      str('product_name', 255),
      str('term', 32),
      str('frequency', 32),
      date('last_seen_at', false),
      date('gone_at'),
    ],
    // MySQL caps index keys at 3072 bytes: 400 utf8mb4 chars fit.
    indices: [
      new TableIndex({
        name: 'uq_vendor_services_key',
        columnNames: ['tenant_id', 'service_key'],
        isUnique: true,
      }),
    ],
  }),
  new Table({
    name: 'vendor_subscriptions',
    columns: [
      id,
      tenantId,
      int('account_id'),
      int('service_id'),
      str('subscription_key', 400),
      str('status', 64),
      bool('is_trial', false),
      dbl('quantity'),
      dbl('total_licenses'),
      dbl('assigned_licenses'),
      date('last_seen_at', false),
      date('gone_at'),
    ],
    indices: [
      new TableIndex({
        name: 'uq_vendor_subscriptions_key',
        columnNames: ['tenant_id', 'account_id', 'subscription_key'],
        isUnique: true,
      }),
      new TableIndex({ name: 'ix_vendor_subscriptions_service', columnNames: ['tenant_id', 'service_id'] }),
    ],
  }),
  new Table({
    name: 'account_mappings',
    columns: [
      id,
      tenantId,
      int('account_id'),
      int('psa_company_id', true),
      str('psa_company_identifier', 100, true),
      str('psa_company_name', 255, true),
      int('agreement_id', true),
      str('agreement_name', 255, true),
      str('method', 32, true),
      bool('excluded', false),
      str('mapped_by', 100),
      date('mapped_at', false),
    ],
    indices: [
      new TableIndex({
        name: 'uq_account_mappings_account',
        columnNames: ['tenant_id', 'account_id'],
        isUnique: true,
      }),
    ],
  }),
  new Table({
    name: 'service_mappings',
    columns: [
      id,
      tenantId,
      int('service_id'),
      int('psa_product_id'),
      str('psa_product_identifier', 100),
      str('psa_product_description', 255, true),
      str('mapped_by', 100),
      date('mapped_at', false),
    ],
    indices: [
      new TableIndex({
        name: 'uq_service_mappings_service',
        columnNames: ['tenant_id', 'service_id'],
        isUnique: true,
      }),
    ],
  }),
  new Table({
    name: 'sync_runs',
    columns: [
      id,
      tenantId,
      str('status', 16),
      str('trigger', 16),
      str('requested_by', 100, true),
      str('step', 64, true),
      int('progress_done', false, 0),
      int('progress_total', false, 0),
      text('counts'),
      text('error'),
      date('started_at'),
      date('finished_at'),
      created(),
    ],
    indices: [new TableIndex({ name: 'ix_sync_runs_tenant_status', columnNames: ['tenant_id', 'status'] })],
  }),
  new Table({
    name: 'usage_lines',
    columns: [
      id,
      tenantId,
      int('run_id'),
      int('account_id'),
      str('account_name', 255),
      int('company_id'),
      str('company_name', 255),
      int('agreement_id', true),
      int('product_id'),
      str('product_identifier', 100),
      str('service_label', 500),
      dbl('vendor_qty'),
      dbl('psa_qty'),
      str('kind', 32),
      str('reason', 32, true),
      text('reason_text'),
      int('addition_id', true),
      dbl('unit_price'),
      dbl('unit_cost'),
      dbl('revenue_change', false, 0),
      dbl('difference'),
      { ...str('review_status', 16), default: "'pending'" },
      dbl('approved_qty'),
      text('note'),
      text('error'),
      str('reviewed_by', 100, true),
      date('reviewed_at'),
    ],
    indices: [
      new TableIndex({ name: 'ix_usage_lines_run', columnNames: ['tenant_id', 'run_id', 'kind'] }),
      new TableIndex({ name: 'ix_usage_lines_company', columnNames: ['tenant_id', 'run_id', 'company_id'] }),
    ],
  }),
  new Table({
    name: 'unmapped_items',
    columns: [
      id,
      tenantId,
      int('run_id'),
      str('kind', 16),
      int('account_id'),
      int('service_id', true),
      dbl('quantity', false),
    ],
    indices: [new TableIndex({ name: 'ix_unmapped_items_run', columnNames: ['tenant_id', 'run_id'] })],
  }),
  new Table({
    name: 'write_backs',
    columns: [
      id,
      tenantId,
      int('line_id'),
      str('idempotency_key', 128),
      str('op', 32),
      text('payload', false),
      { ...str('status', 16), default: "'pending'" },
      int('attempts', false, 0),
      int('addition_id', true),
      text('error'),
      str('requested_by', 100),
      created(),
      created('updated_at'),
    ],
    indices: [
      new TableIndex({
        name: 'uq_write_backs_key',
        columnNames: ['tenant_id', 'idempotency_key'],
        isUnique: true,
      }),
      new TableIndex({ name: 'ix_write_backs_status', columnNames: ['status'] }),
    ],
  }),
  new Table({
    name: 'audit_events',
    columns: [
      id,
      tenantId,
      created('at'),
      str('actor', 100),
      str('action', 64),
      str('entity', 64),
      str('entity_id', 64, true),
      text('before'),
      text('after'),
      int('addition_id', true),
      text('summary'),
    ],
    indices: [new TableIndex({ name: 'ix_audit_events_tenant_at', columnNames: ['tenant_id', 'at'] })],
  }),
];

export class InitialSchema1764720000000 implements MigrationInterface {
  name = 'InitialSchema1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables) await queryRunner.createTable(table, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...tables].reverse()) await queryRunner.dropTable(table.name, true);
  }
}
