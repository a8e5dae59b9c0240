import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import NIOConcurrencyHelpers
import Testing
import Vapor

extension AppTests {
    /// Importing directory files: through `DirectoryImporter` and through the `import` command.
    @Suite struct DirectoryImport {
        static let geonamesHeader = "geonameid,name,country,admin1,latitude,longitude,population,timezone"

        @Test func wrongHeaderRejectsTheWholeFileAndStoresNothing() async throws {
            try await withTestApp { app in
                let before = try await app.organisationCount()
                let csv = "id,name,land,inhabitants\n1,Aalst,BE,89000\n2,Aarschot,BE,30000\n"
                await #expect(throws: DirectoryFileError.wrongHeader(found: "id,name,land,inhabitants")) {
                    try await DirectoryImporter(db: app.db).importText(csv, country: nil)
                }
                // A header with one column missing is just as wrong, even when the lines look fine.
                let shortHeader = "geonameid,name,country,admin1,latitude,longitude,population\n1,Aalst,BE,VLG,50.9,4.0,89000\n"
                await #expect(throws: DirectoryFileError.self) {
                    try await DirectoryImporter(db: app.db).importText(shortHeader, country: nil)
                }
                await #expect(throws: DirectoryFileError.empty) {
                    try await DirectoryImporter(db: app.db).importText("", country: nil)
                }
                #expect(try await app.organisationCount() == before)
                #expect(try await Organisation.query(on: app.db).filter(\.$name == "Aalst").count() == 0)
            }
        }

        @Test func badLinesAreReportedWithLineNumberAndReasonWhileGoodLinesAreStored() async throws {
            try await withTestApp { app in
                let before = try await app.organisationCount()
                let csv = """
                \(Self.geonamesHeader)
                2803448,Aalst,BE,Flanders,50.93604,4.0355,77534,Europe/Brussels
                2803204,Aarschot,BE,Flanders,50.98715,4.83695,lots,Europe/Brussels
                2803000,Antwerpen,BE,Flanders,51.2
                2802985,Arlon,Belgium,Wallonia,49.68333,5.81667,26179,Europe/Brussels
                2802743,"Asse,BE,Flanders,50.91011,4.19836,32000,Europe/Brussels
                0,Nowhere,BE,Flanders,50.0,4.0,10,Europe/Brussels
                2802031,Bilzen,BE,Flanders,95.0,5.51753,31000,Europe/Brussels
                2801117,Beveren,BE,Flanders,51.21187,4.25633,47000,Europe/Brussels

                """
                let report = try await DirectoryImporter(db: app.db).importText(csv, country: nil)
                #expect(report.inserted == 2)
                #expect(report.linesRead == 8)
                #expect(report.errors.map(\.line) == [3, 4, 5, 6, 7, 8])
                let reasons = Dictionary(uniqueKeysWithValues: report.errors.map { ($0.line, $0.reason) })
                #expect(reasons[3] == "population \"lots\" is not a whole number of zero or more")
                #expect(reasons[4]?.hasPrefix("expected 8 fields") == true)
                #expect(reasons[5] == "country \"Belgium\" is not a two-letter ISO code")
                #expect(reasons[6] == "a quoted field is not closed")
                #expect(reasons[7] == "geonameid \"0\" is not a positive whole number")
                #expect(reasons[8] == "latitude \"95.0\" is not a number between -90 and 90")
                #expect(report.errors.first?.description == "line 3: population \"lots\" is not a whole number of zero or more")

                #expect(try await app.organisationCount() == before + 2)
                let stored = try await Organisation.query(on: app.db).filter(\.$sourceKey ~~ ["geonames:2803448", "geonames:2801117"]).all()
                #expect(Set(stored.map(\.name)) == ["Aalst", "Beveren"])
                let aalst = try #require(stored.first { $0.name == "Aalst" })
                #expect(aalst.population == 77534)
                #expect(aalst.country == "BE")
                #expect(aalst.region == "Flanders")
                #expect(aalst.kind == "municipality")
                // The stored rows are searchable once the index is rebuilt.
                try await app.directoryIndex.rebuild(on: app.db)
                let page = try await app.testing().sendRequest(.GET, "/directory?q=aalst")
                #expect(HTMLText.directoryNames(in: page.body.string) == ["Aalst"])
            }
        }

        @Test func reimportLeavesTheCountUnchangedAndUpdatesChangedNames() async throws {
            try await withTestApp { app in
                let csv = """
                \(Self.geonamesHeader)
                2803448,Aalst,BE,Flanders,50.93604,4.0355,77534,Europe/Brussels
                2801117,Beveren,BE,Flanders,51.21187,4.25633,47000,Europe/Brussels

                """
                let importer = DirectoryImporter(db: app.db)
                let first = try await importer.importText(csv, country: nil)
                #expect(first.inserted == 2 && first.updated == 0)
                let count = try await app.organisationCount()
                let aalstID = try #require(try await Organisation.query(on: app.db).filter(\.$name == "Aalst").first()?.id)

                let again = try await importer.importText(csv, country: nil)
                #expect(again.inserted == 0)
                #expect(again.updated == 2)
                #expect(try await app.organisationCount() == count)

                // The same place under a new name and population: updated in place, same id.
                let renamed = csv.replacingOccurrences(of: "Beveren,BE,Flanders,51.21187,4.25633,47000",
                                                       with: "Beveren-Kruibeke-Zwijndrecht,BE,Flanders,51.21187,4.25633,66000")
                let third = try await importer.importText(renamed, country: nil)
                #expect(third.inserted == 0 && third.updated == 2)
                #expect(try await app.organisationCount() == count)
                let beveren = try #require(try await Organisation.query(on: app.db).filter(\.$sourceKey == "geonames:2801117").first())
                #expect(beveren.name == "Beveren-Kruibeke-Zwijndrecht")
                #expect(beveren.population == 66000)
                #expect(beveren.searchName == "beveren-kruibeke-zwijndrecht")
                #expect(try await Organisation.query(on: app.db).filter(\.$name == "Aalst").first()?.id == aalstID)

                // The fixture places themselves: importing them again changes nothing.
                let fixtures = try await importer.importText(FixtureWorld.placesCSV, country: nil)
                #expect(fixtures.inserted == 0 && fixtures.updated == 6)
                #expect(try await app.organisationCount() == count)

                try await app.directoryIndex.rebuild(on: app.db)
                let page = try await app.testing().sendRequest(.GET, "/directory?q=zwijndrecht")
                #expect(HTMLText.directoryNames(in: page.body.string) == ["Beveren-Kruibeke-Zwijndrecht"])
            }
        }

        @Test func plainFormat() async throws {
            try await withTestApp { app in
                let before = try await app.organisationCount()
                let csv = "\u{FEFF}code,name,country,population\r\nBE-41002,Aalst,be,89000\r\nNL-0363,Amsterdam,NL,\r\nX,,BE,5\r\nBE-1,Bad,BE,-4\r\n"
                let report = try await DirectoryImporter(db: app.db).importText(csv, country: nil)
                #expect(report.format == .plain)
                #expect(report.inserted == 2)
                #expect(report.errors.map(\.description) == ["line 4: name is empty",
                                                             "line 5: population \"-4\" is not a whole number of zero or more"])
                #expect(try await app.organisationCount() == before + 2)
                let aalst = try #require(try await Organisation.query(on: app.db).filter(\.$sourceKey == "code:BE-41002").first())
                #expect(aalst.name == "Aalst")
                #expect(aalst.country == "BE")
                #expect(aalst.population == 89000)
                #expect(aalst.latitude == nil)
                let amsterdam = try #require(try await Organisation.query(on: app.db).filter(\.$sourceKey == "code:NL-0363").first())
                #expect(amsterdam.population == nil)

                // Re-import: same rows, updated.
                let again = try await DirectoryImporter(db: app.db).importText(csv, country: nil)
                #expect(again.inserted == 0 && again.updated == 2)
                #expect(try await app.organisationCount() == before + 2)

                // Only one country, when asked: the other rows are skipped, not errors.
                let onlyNL = try await DirectoryImporter(db: app.db).importText("code,name,country,population\nBE-2,Zele,BE,21000\nNL-2,Zwolle,NL,130000\n", country: "nl")
                #expect(onlyNL.inserted == 1 && onlyNL.skipped == 1 && onlyNL.errors.isEmpty)
                #expect(try await Organisation.query(on: app.db).filter(\.$name == "Zele").count() == 0)
                #expect(try await Organisation.query(on: app.db).filter(\.$name == "Zwolle").count() == 1)
            }
        }

        @Test func theImportCommand() async throws {
            try await withTestApp { app in
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lt-import-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                func file(_ name: String, _ text: String) throws -> String {
                    let url = folder.appendingPathComponent(name)
                    try text.write(to: url, atomically: true, encoding: .utf8)
                    return url.path
                }
                let before = try await app.organisationCount()

                // A wrong header: exit status 1, a message naming line 1, nothing stored.
                let wrong = try file("wrong.csv", "name,country\nAalst,BE\n")
                let r1 = try await runCommand(app, ["import", "municipalities", wrong])
                #expect(r1.exitCode == 1)
                #expect(r1.output.contains("line 1: the header \"name,country\" is not a directory header"))
                #expect(r1.output.contains("Nothing was imported."))
                #expect(try await app.organisationCount() == before)

                // Bad lines: exit status 3, each bad line named, the good lines stored.
                let mixed = try file("mixed.csv", """
                \(Self.geonamesHeader)
                2803448,Aalst,BE,Flanders,50.93604,4.0355,77534,Europe/Brussels
                2803204,Aarschot,BE,Flanders,50.98715,4.83695,lots,Europe/Brussels
                2801117,Beveren,BE,Flanders,51.21187,4.25633,47000,Europe/Brussels

                """)
                let r2 = try await runCommand(app, ["import", "municipalities", mixed, "--quiet"])
                #expect(r2.exitCode == 3)
                #expect(r2.output.contains("\(mixed): line 3: population \"lots\" is not a whole number of zero or more"))
                #expect(r2.output.contains("Imported 2 rows (2 new, 0 updated) from 3 lines"))
                #expect(r2.output.contains("0 lines skipped, 1 with errors."))
                #expect(try await app.organisationCount() == before + 2)

                // The same file again: nothing new.
                let r3 = try await runCommand(app, ["import", "municipalities", mixed, "--quiet"])
                #expect(r3.output.contains("Imported 2 rows (0 new, 2 updated)"))
                #expect(try await app.organisationCount() == before + 2)

                // A good plain file with a country filter: exit status 0.
                let plain = try file("plain.csv", "code,name,country,population\nBE-2,Zele,BE,21000\nNL-2,Zwolle,NL,130000\n")
                let r4 = try await runCommand(app, ["import", "municipalities", plain, "--country", "NL", "--quiet"])
                #expect(r4.exitCode == 0)
                #expect(r4.output.contains("Imported 1 rows (1 new, 0 updated) from 2 lines"))
                #expect(r4.output.contains("1 lines skipped, 0 with errors."))
                #expect(try await app.organisationCount() == before + 3)

                // Mistakes in the command line itself: exit status 2, nothing read.
                let r5 = try await runCommand(app, ["import", "municipalities", plain, "--country", "NLD"])
                #expect(r5.exitCode == 2)
                #expect(r5.output.contains("--country takes a two-letter ISO code"))
                let r6 = try await runCommand(app, ["import", "people", plain])
                #expect(r6.exitCode == 2)
                let r7 = try await runCommand(app, ["import", "municipalities", folder.appendingPathComponent("missing.csv").path])
                #expect(r7.exitCode == 1)
                #expect(r7.output.contains("missing.csv"))
                #expect(try await app.organisationCount() == before + 3)
            }
        }
    }
}

/// Runs one of the app's commands as `livingtogether ARGS…` would, capturing what it prints.
func runCommand(_ app: Application, _ arguments: [String]) async throws -> (exitCode: Int32, output: String) {
    let console = CapturingConsole()
    var context = CommandContext(console: console, input: CommandInput(arguments: ["livingtogether"] + arguments))
    context.application = app
    do {
        try await app.asyncCommands.group().run(using: &context)
        return (0, console.text)
    } catch let error as any ExitCodeError {
        return (error.code, console.text)
    }
}

/// A console that keeps everything written to it.
final class CapturingConsole: Console, @unchecked Sendable {
    private let lock = NIOLock()
    private var lines: [String] = []
    private var info: [AnySendableHashable: any Sendable] = [:]

    var text: String { lock.withLock { lines.joined() } }
    var size: (width: Int, height: Int) { (120, 40) }
    var userInfo: [AnySendableHashable: any Sendable] {
        get { lock.withLock { info } }
        set { lock.withLock { info = newValue } }
    }
    var supportsANSICommands: Bool { false }
    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) {
        let s = text.description + (newLine ? "\n" : "")
        lock.withLock { lines.append(s) }
    }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) {
        lock.withLock { lines.append(error + (newLine ? "\n" : "")) }
    }
}
