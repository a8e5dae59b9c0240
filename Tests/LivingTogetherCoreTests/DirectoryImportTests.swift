import Testing
@testable import LivingTogetherCore

@Suite struct DirectoryImportTests {
    let geonamesHeader: Substring = "geonameid,name,country,admin1,latitude,longitude,population,timezone"

    @Test func detectsBothFormatsAndRejectsOthers() {
        #expect(DirectoryFormat.detect(headerLine: geonamesHeader) == .geonames)
        #expect(DirectoryFormat.detect(headerLine: "\u{FEFF}code,name,country,population") == .plain)
        #expect(DirectoryFormat.detect(headerLine: "Code, Name , Country,Population") == .plain)
        #expect(DirectoryFormat.detect(headerLine: "id,name,country") == nil)
        #expect(DirectoryFormat.detect(headerLine: "name,geonameid,country,admin1,latitude,longitude,population,timezone") == nil)
    }

    @Test func wrongHeaderMessageNamesTheExpectedHeaders() {
        let message = DirectoryFileError.wrongHeader(found: "id,name").description
        #expect(message.contains("line 1"))
        #expect(message.contains("geonameid,name,country,admin1,latitude,longitude,population,timezone"))
        #expect(message.contains("code,name,country,population"))
        #expect(message.contains("Nothing was imported"))
    }

    @Test func readsAGeoNamesLine() {
        let p = DirectoryLineParser(format: .geonames)
        #expect(p.parse("2791537,Mechelen,BE,VLG,51.02574,4.47762,77530,Europe/Brussels", lineNumber: 2) == .record(
            DirectoryRecord(sourceKey: "geonames:2791537", name: "Mechelen", country: "BE", region: "VLG", latitude: 51.02574,
                            longitude: 4.47762, population: 77530, timezone: "Europe/Brussels")))
        // CRLF line endings and a quoted name with a comma.
        if case .record(let r) = p.parse("3185598,\"Gjadër, Dajc\",AL,48,41.88,19.59139,2000,Europe/Tirane\r", lineNumber: 3) {
            #expect(r.name == "Gjadër, Dajc")
            #expect(r.timezone == "Europe/Tirane")
        } else {
            Issue.record("quoted name was not read")
        }
    }

    @Test(arguments: [
        ("x,Mechelen,BE,VLG,51,4,77530,Europe/Brussels", "geonameid \"x\" is not a positive whole number"),
        ("1,,BE,VLG,51,4,77530,Europe/Brussels", "name is empty"),
        ("1,Mechelen,Belgium,VLG,51,4,77530,Europe/Brussels", "country \"Belgium\" is not a two-letter ISO code"),
        ("1,Mechelen,BE,VLG,951,4,77530,Europe/Brussels", "latitude \"951\" is not a number between -90 and 90"),
        ("1,Mechelen,BE,VLG,51,4,-3,Europe/Brussels", "population \"-3\" is not a whole number of zero or more"),
        ("1,Mechelen,BE,VLG,51,4,lots,Europe/Brussels", "population \"lots\" is not a whole number of zero or more"),
        ("1,Mechelen,BE", "expected 8 fields"),
        ("1,\"Mechelen,BE,VLG,51,4,1,Europe/Brussels", "a quoted field is not closed"),
    ])
    func reportsWhatIsWrongOnALine(line: String, reason: String) {
        let p = DirectoryLineParser(format: .geonames)
        guard case .invalid(let e) = p.parse(Substring(line), lineNumber: 7) else {
            Issue.record("\(line) was accepted"); return
        }
        #expect(e.line == 7)
        #expect(e.reason.contains(reason), "\(e.reason)")
        #expect(e.description.hasPrefix("line 7: "))
    }

    @Test func plainFormatAndCountryFilter() {
        let p = DirectoryLineParser(format: .plain, countryFilter: "be")
        #expect(p.parse("BE-12025,Mechelen,be,86921", lineNumber: 2) == .record(
            DirectoryRecord(sourceKey: "code:BE-12025", name: "Mechelen", country: "BE", population: 86921)))
        #expect(p.parse("NL-1,Rotterdam,NL,650000", lineNumber: 3) == .skipped)
        #expect(p.parse("   ", lineNumber: 4) == .skipped)
        #expect(p.parse("BE-1,Lier,BE,", lineNumber: 5) == .record(DirectoryRecord(sourceKey: "code:BE-1", name: "Lier", country: "BE")))
    }

    @Test func optionalColumnsCarryOtherNamesAndFeatureCodes() throws {
        let layout = DirectoryLayout.detect(headerLine: geonamesHeader + ",alternatenames,feature_code")
        #expect(layout?.format == .geonames && layout?.columnCount == 10 && layout?.featureCode == 9)
        #expect(DirectoryLayout.detect(headerLine: "code,name,country,population,alternate_names")?.alternateNames?.column == 4)
        #expect(DirectoryLayout.detect(headerLine: "code,name,country,population,feature_code") == nil, "plain files carry no codes")
        #expect(DirectoryLayout.detect(headerLine: "code,name,country,population,alternate_names,alternate_names") == nil)
        #expect(DirectoryLayout.detect(headerLine: geonamesHeader + ",colour") == nil)
        guard let layout else { return }
        let p = DirectoryLineParser(layout: layout)
        let line: Substring = "2803138,Antwerp,BE,VLG,51.22,4.40,529247,Europe/Brussels,\"Antwerpen,Anvers,Antwerp, antwerpen ,\",PPL"
        guard case .record(let r) = p.parse(line, lineNumber: 2) else { Issue.record("not read"); return }
        #expect(r.alternateNames == ["Antwerpen", "Anvers"], "its own name, repeats and blanks are left out")
        #expect(p.parse("6693370,Borgerhout,BE,VLG,51.21,4.44,45000,Europe/Brussels,,PPLX", lineNumber: 3) == .notAMunicipality("PPLX"))
        let plain = DirectoryLineParser(layout: try #require(DirectoryLayout.detect(headerLine: "code,name,country,population,alternate_names")))
        guard case .record(let g) = plain.parse("BE-44021,Gent,BE,265086,Ghent; Gand", lineNumber: 2) else { Issue.record("not read"); return }
        #expect(g.alternateNames == ["Ghent", "Gand"])
        let many = (1...150).map { "Name \($0)" } + [String(repeating: "x", count: 201)]
        #expect(AlternateNames.clean(many, besides: "Gent").count == AlternateNames.maximumCount)
    }
}
