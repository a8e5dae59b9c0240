import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// Imports a directory file into the organisations table. Idempotent: rows are matched by their
/// source key and updated, never duplicated. A wrong header stores nothing; a malformed line is
/// reported with its number and reason while the good lines are kept. Lines are stored in batches,
/// each in its own transaction, so a killed import leaves only whole rows behind.
struct DirectoryImporter {
    struct Report: Sendable, Equatable {
        var format: DirectoryFormat
        var linesRead = 0
        var inserted = 0
        var updated = 0
        var skipped = 0
        /// Lines the file marks as not a municipality (a section of a city, say), by feature code.
        var notMunicipalities: [String: Int] = [:]
        var errors: [DirectoryLineError] = []
        var stored: Int { inserted + updated }
    }

    let db: any Database
    var batchSize = 500

    /// - Parameter progress: called after each batch with (bytes read, total bytes).
    func importFile(at path: String, country: String?, progress: ((Int, Int) -> Void)? = nil) async throws -> Report {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Abort(.badRequest, reason: "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Abort(.badRequest, reason: "\(path) is not UTF-8 text")
        }
        return try await importText(text, country: country, progress: progress)
    }

    func importText(_ text: String, country: String?, progress: ((Int, Int) -> Void)? = nil) async throws -> Report {
        let lines = CSV.lines(text)
        guard let header = lines.first else { throw DirectoryFileError.empty }
        var headerLine = header
        if headerLine.hasSuffix("\r") { headerLine = headerLine.dropLast() }
        guard let layout = DirectoryLayout.detect(headerLine: headerLine) else {
            throw DirectoryFileError.wrongHeader(found: String(headerLine.prefix(200)))
        }
        let parser = DirectoryLineParser(layout: layout, countryFilter: country)
        var report = Report(format: layout.format)
        var batch: [DirectoryRecord] = []
        var seenInBatch: [String: Int] = [:]
        let total = text.utf8.count
        var bytes = header.utf8.count + 1
        for (offset, line) in lines.enumerated().dropFirst() {
            bytes += line.utf8.count + 1
            report.linesRead += 1
            switch parser.parse(line, lineNumber: offset + 1) {
            case .record(let r):
                // A key repeated within one batch: the later line wins, as it would across batches.
                if let at = seenInBatch[r.sourceKey] { batch[at] = r } else { seenInBatch[r.sourceKey] = batch.count; batch.append(r) }
            case .skipped: report.skipped += 1
            case .notAMunicipality(let code): report.notMunicipalities[code, default: 0] += 1
            case .invalid(let e): report.errors.append(e)
            }
            if batch.count >= batchSize {
                try await store(batch, into: &report)
                batch.removeAll(keepingCapacity: true); seenInBatch.removeAll(keepingCapacity: true)
                progress?(bytes, total)
            }
        }
        if !batch.isEmpty { try await store(batch, into: &report) }
        progress?(total, total)
        return report
    }

    private func store(_ batch: [DirectoryRecord], into report: inout Report) async throws {
        let (inserted, updated) = try await db.transaction { tx -> (Int, Int) in
            guard let sql = tx as? any SQLDatabase else { throw Abort(.internalServerError, reason: "the database does not speak SQL") }
            struct Key: Decodable { var source_key: String }
            let existing = try await sql.select().column("source_key").from("organisations")
                .where("source_key", .in, batch.map(\.sourceKey)).all(decoding: Key.self)
            let now = Date()
            var insert = sql.insert(into: "organisations")
                .columns("kind", "name", "search_name", "slug", "country", "region", "population", "latitude", "longitude",
                         "timezone", "source_key", "alternate_names", "created_at", "updated_at")
            for r in batch {
                insert = insert.values(
                    SQLBind(OrganisationKind.municipality.rawValue), SQLBind(r.name), SQLBind(SearchText.fold(r.name)),
                    SQLBind(Slug.make(r.name)), SQLBind(r.country), SQLBind(r.region), SQLBind(r.population),
                    SQLBind(r.latitude), SQLBind(r.longitude), SQLBind(r.timezone), SQLBind(r.sourceKey),
                    SQLBind(AlternateNames.joined(r.alternateNames)), SQLBind(now), SQLBind(now))
            }
            try await insert.onConflict(with: ["source_key"]) { conflict in
                conflict.set(excludedValueOf: "name").set(excludedValueOf: "search_name").set(excludedValueOf: "slug")
                    .set(excludedValueOf: "country").set(excludedValueOf: "region").set(excludedValueOf: "population")
                    .set(excludedValueOf: "latitude").set(excludedValueOf: "longitude").set(excludedValueOf: "timezone")
                    .set(excludedValueOf: "alternate_names").set(excludedValueOf: "updated_at")
            }.run()
            try await DirectoryIndexCache.bump(on: tx)
            return (batch.count - existing.count, existing.count)
        }
        report.inserted += inserted
        report.updated += updated
    }
}
