import Fluent
import LivingTogetherCore
import SQLKit
import Vapor

/// `livingtogether import municipalities FILE.csv [--country CC]`
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "What to import: municipalities")
        var what: String
        @Argument(name: "file", help: "A CSV file: GeoNames places (geonameid,name,country,admin1,latitude,longitude,population,timezone) or code,name,country,population")
        var file: String
        @Option(name: "country", short: "c", help: "Only import rows of this country (ISO code, e.g. BE)")
        var country: String?
        @Flag(name: "quiet", short: "q", help: "No progress bar")
        var quiet: Bool
    }

    var help: String { "Imports a directory of municipalities from CSV; re-importing updates rows instead of duplicating them." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.what == "municipalities" else {
            context.console.error("Unknown import \"\(signature.what)\": the only one is \"municipalities\".")
            throw ExitCode(2)
        }
        if let c = signature.country, c.count != 2 {
            context.console.error("--country takes a two-letter ISO code, such as BE; \"\(c)\" is not one.")
            throw ExitCode(2)
        }
        let app = context.application
        try await app.autoMigrate()
        let importer = DirectoryImporter(db: app.db)
        let started = Date()
        let showProgress = !signature.quiet && isatty(STDOUT_FILENO) == 1
        var lastDrawn = -1
        let report: DirectoryImporter.Report
        do {
            report = try await importer.importFile(at: signature.file, country: signature.country) { done, total in
                guard showProgress else { return }
                let percent = total == 0 ? 100 : done * 100 / total
                guard percent != lastDrawn else { return }
                lastDrawn = percent
                let width = 40
                let filled = width * percent / 100
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                print("\r\(bar) \(percent)%", terminator: "")
                FileHandle.standardOutput.synchronizeFile()
            }
        } catch let error as DirectoryFileError {
            context.console.error("\(signature.file): \(error)")
            throw ExitCode(1)
        } catch let error as any AbortError {
            context.console.error(error.reason)
            throw ExitCode(1)
        }
        if showProgress { print("") }
        let seconds = Date().timeIntervalSince(started)
        for e in report.errors.prefix(100) { context.console.warning("\(signature.file): \(e)") }
        if report.errors.count > 100 { context.console.warning("… and \(report.errors.count - 100) more lines with errors") }
        context.console.info(String(format: "Imported %d rows (%d new, %d updated) from %d lines in %.1f s; %d lines skipped, %d with errors.",
                                    report.stored, report.inserted, report.updated, report.linesRead, seconds, report.skipped, report.errors.count))
        if !report.notMunicipalities.isEmpty {
            let codes = report.notMunicipalities.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            context.console.info("Not imported as municipalities (feature codes of sections and former places): \(codes).")
        }
        if !report.errors.isEmpty { throw ExitCode(3) }
    }
}

/// `livingtogether export organisations --format csv|json [--output FILE]`
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "what", help: "What to export: organisations")
        var what: String
        @Option(name: "format", short: "f", help: "csv or json")
        var format: String?
        @Option(name: "output", short: "o", help: "Write to this file instead of standard output")
        var output: String?
    }

    var help: String { "Exports the whole directory of organisations as CSV or JSON." }

    static let columns = ["id", "kind", "name", "country", "region", "population", "latitude", "longitude", "timezone", "source_key",
                          "born_abroad_percent", "languages", "budget_band", "website", "description",
                          "alternate_names"]

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.what == "organisations" else {
            context.console.error("Unknown export \"\(signature.what)\": the only one is \"organisations\".")
            throw ExitCode(2)
        }
        let format = signature.format ?? "csv"
        guard format == "csv" || format == "json" else {
            context.console.error("--format must be csv or json, not \"\(format)\".")
            throw ExitCode(2)
        }
        let app = context.application
        try await app.autoMigrate()
        let text = try await Self.export(format: format, db: app.db)
        if let path = signature.output {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            context.console.info("Wrote \(path)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    static func export(format: String, db: any Database) async throws -> String {
        let orgs = try await Organisation.query(on: db).sort(\.$id).all()
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(orgs.map { APIController.OrganisationDTO($0) }), as: UTF8.self) + "\n"
        }
        var out = CSV.line(columns) + "\n"
        for o in orgs {
            let fields: [String] = [
                String(o.id ?? 0), o.kind, o.name, o.country, o.region ?? "", o.population.map(String.init) ?? "",
                o.latitude.map { String($0) } ?? "", o.longitude.map { String($0) } ?? "", o.timezone ?? "", o.sourceKey ?? "",
                o.bornAbroadPercent.map { String($0) } ?? "", o.languages ?? "", o.budgetBand ?? "", o.website ?? "", o.summary ?? "",
                o.alternateNames ?? "",
            ]
            out += CSV.line(fields) + "\n"
        }
        return out
    }
}

/// A command's failure with the exit status it should end the process with (its message is already printed).
public protocol ExitCodeError: Error { var code: Int32 { get } }

public struct ExitCode: ExitCodeError, DebuggableError {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }
    public var identifier: String { "exit\(code)" }
    public var reason: String { "exit code \(code)" }
    /// The command has already said what went wrong; Vapor need not log it again.
    public var logLevel: Logger.Level { .debug }
}
