import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  PostgresDialect,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';

/**
 * Kysely's PostgreSQL introspector reads every schema of the database through pg_catalog, so a schema dropped
 * at the same moment by another process (parallel test files, another installation) makes it fail. Orderloop
 * lives in one schema per connection (`search_path`), so it only ever needs that schema's tables.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const r = await sql<{ name: string }>`select schema_name as name from information_schema.schemata`.execute(this.db);
    return r.rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const r = await sql<{
      schema: string;
      table: string;
      column: string | null;
      type: string | null;
      nullable: string | null;
      def: string | null;
      kind: string;
    }>`
      select t.table_schema as schema, t.table_name as table, t.table_type as kind, c.column_name as column,
        c.data_type as type, c.is_nullable as nullable, c.column_default as def
      from information_schema.tables t
      left join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
      where t.table_schema = current_schema()
      order by t.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of r.rows) {
      let t = tables.get(row.table);
      if (!t) {
        t = { name: row.table, schema: row.schema, isView: row.kind === 'VIEW', columns: [] };
        tables.set(row.table, t);
      }
      if (row.column) {
        (t.columns as TableMetadata['columns'][number][]).push({
          name: row.column,
          dataType: row.type ?? 'unknown',
          isNullable: row.nullable === 'YES',
          hasDefaultValue: row.def !== null,
          isAutoIncrementing: false,
        });
      }
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** PostgresDialect whose introspection sees only the connection's current schema. */
export class SchemaScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
