import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Ranked match suggestions (accounts → companies, services → catalog items), stored so lists can filter and page;
 * and why a mapping has no agreement (none active, or several to choose from).
 */
export class AddSuggestions1764730000000 implements MigrationInterface {
  name = 'AddSuggestions1764730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'suggestions',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'tenant_id', type: 'int' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'subject_id', type: 'int' },
          { name: 'target_id', type: 'int' },
          { name: 'target_code', type: 'varchar', length: '100' },
          { name: 'target_label', type: 'varchar', length: '255' },
          { name: 'score', type: 'int' },
          { name: 'reason', type: 'varchar', length: '255' },
          { name: 'rank', type: 'int' },
        ],
        indices: [
          new TableIndex({
            name: 'ix_suggestions_subject',
            columnNames: ['tenant_id', 'kind', 'subject_id'],
          }),
        ],
      }),
      true,
    );
    await queryRunner.addColumn(
      'account_mappings',
      new TableColumn({ name: 'agreement_problem', type: 'varchar', length: '16', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('account_mappings', 'agreement_problem');
    await queryRunner.dropTable('suggestions', true);
  }
}
