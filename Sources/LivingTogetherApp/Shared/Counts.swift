import Fluent
import SQLKit

/// Row counts grouped by one column, counted by the database (for list pages that show how many rows hang below each
/// item, without reading those rows).
enum Counts {
    /// `SELECT column, COUNT(*) FROM table GROUP BY column`, as id → count.
    static func per(_ column: String, in table: String, on db: any Database) async throws -> [Int: Int] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        struct Row: Decodable { var key: Int; var n: Int }
        let rows = try await sql.select()
            .column(SQLAlias(SQLColumn(column), as: SQLIdentifier("key")))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(table).groupBy(column)
            .all(decoding: Row.self)
        return Dictionary(lastOf: rows.map { ($0.key, $0.n) })
    }
}
