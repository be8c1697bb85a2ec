import type { Kysely } from 'kysely';
import { bigIntType, dialectOf, idColumn, idColumnType } from '../platform/db/dialect.js';

/** Joint procurement: initiatives with price tiers, one declaration per organisation, and each organisation's own value limit. */
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);
  const id = idColumn(d);

  await db.schema.createTable('procurement_initiatives')
    .addColumn('id', idColumnType(d), id)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text', (c) => c.notNull().defaultTo(''))
    // The linked catalogue solution by its address, shown only to those who may see it.
    .addColumn('solution_slug', 'text')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('contract_kind', 'text', (c) => c.notNull())
    .addColumn('term_months', 'integer', (c) => c.notNull())
    .addColumn('option_months', 'integer', (c) => c.notNull().defaultTo(0))
    // A calendar day (YYYY-MM-DD): the reference date of the contract value estimate (§ 3(3) VgV).
    .addColumn('planned_start', 'text', (c) => c.notNull())
    .addColumn('deadline_at', 'text', (c) => c.notNull())
    .addColumn('one_time_fee_cents', 'integer')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('lead_organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('bound_at', 'text')
    .addColumn('handed_over_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('procurement_initiatives_state').on('procurement_initiatives').columns(['state', 'id']).execute();

  await db.schema.createTable('procurement_tiers')
    .addColumn('initiative_id', 'integer', (c) => c.notNull().references('procurement_initiatives.id').onDelete('cascade'))
    .addColumn('min_quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('procurement_tiers_pk', ['initiative_id', 'min_quantity'])
    .execute();

  await db.schema.createTable('procurement_declarations')
    .addColumn('id', idColumnType(d), id)
    .addColumn('initiative_id', 'integer', (c) => c.notNull().references('procurement_initiatives.id').onDelete('cascade'))
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('max_quantity', 'integer')
    .addColumn('declared_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One declaration per organisation and initiative, enforced by the database: two at once cannot both land.
  await db.schema.createIndex('procurement_declarations_one_per_organisation').on('procurement_declarations')
    .columns(['initiative_id', 'organisation_id']).unique().execute();

  await db.schema.createTable('procurement_limits')
    .addColumn('organisation_id', 'integer', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('limit_cents', bigIntType(d), (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('The procurement migration cannot be undone; restore a backup instead.');
}
