/// One municipality read from a directory file, validated.
public struct DirectoryRecord: Equatable, Sendable {
    /// Stable identity in its source, e.g. "geonames:2791537" or "code:BE-12025": re-importing the
    /// same file updates these rows instead of adding new ones.
    public var sourceKey: String
    public var name: String
    public var country: String
    public var region: String?
    public var latitude: Double?
    public var longitude: Double?
    public var population: Int?
    public var timezone: String?
    /// Local and other-language names ("Antwerpen", "Anvers" for Antwerp), found by the directory's search.
    public var alternateNames: [String]

    public init(sourceKey: String, name: String, country: String, region: String? = nil, latitude: Double? = nil,
                longitude: Double? = nil, population: Int? = nil, timezone: String? = nil, alternateNames: [String] = []) {
        self.sourceKey = sourceKey; self.name = name; self.country = country; self.region = region
        self.latitude = latitude; self.longitude = longitude; self.population = population; self.timezone = timezone
        self.alternateNames = alternateNames
    }
}

/// A place's other names, as a file or a form gives them: trimmed, the place's own name and repeats left out,
/// at most `maximumCount` names of at most `maximumLength` characters each (GeoNames lists hundreds for a capital,
/// in every script: the first ones are kept).
public enum AlternateNames {
    public static let maximumCount = 100
    public static let maximumLength = 200
    /// How they are stored and typed in a form: "Antwerpen; Anvers".
    public static let separator = "; "

    public static func clean(_ names: [String], besides name: String) -> [String] {
        var seen: Set<String> = [SearchText.fold(name)]
        var out: [String] = []
        for raw in names {
            let n = raw.trimmingWhitespace()
            guard !n.isEmpty, n.count <= maximumLength, seen.insert(SearchText.fold(n)).inserted else { continue }
            out.append(n)
            if out.count == maximumCount { break }
        }
        return out
    }

    /// The names of a stored or typed list ("Antwerpen; Anvers").
    public static func split(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    public static func joined(_ names: [String]) -> String? { names.isEmpty ? nil : names.joined(separator: separator) }
}

/// GeoNames feature codes of places that are not municipalities of their own: a section of a populated place
/// (a district of a city), and places that are historical, abandoned or destroyed.
public enum PlaceFeature {
    public static let notMunicipalities: Set<String> = ["PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"]
}

/// A line of a directory file that could not be used, with its 1-based line number.
public struct DirectoryLineError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public init(line: Int, reason: String) { self.line = line; self.reason = reason }
    public var description: String { "line \(line): \(reason)" }
}

/// The two directory formats the import accepts, told apart by their header line.
public enum DirectoryFormat: String, Sendable, CaseIterable {
    /// GeoNames places, as in `european-places.csv`.
    case geonames
    /// The plainer format: `code,name,country,population`.
    case plain

    public var header: [String] {
        switch self {
        case .geonames: return ["geonameid", "name", "country", "admin1", "latitude", "longitude", "population", "timezone"]
        case .plain: return ["code", "name", "country", "population"]
        }
    }

    /// The format of a header line (with or without the optional columns of `DirectoryLayout`).
    public static func detect(headerLine: Substring) -> DirectoryFormat? { DirectoryLayout.detect(headerLine: headerLine)?.format }
}

/// A directory file's columns: its format's own, then the optional ones it carries, in any order:
/// `alternatenames` (GeoNames' spelling, names separated by commas) or `alternate_names` (separated by
/// semicolons), and for GeoNames files `feature_code` (sections of a place are then not imported as municipalities).
public struct DirectoryLayout: Equatable, Sendable {
    public var format: DirectoryFormat
    public var columnCount: Int
    public var alternateNames: (column: Int, separator: Character)?
    public var featureCode: Int?

    public init(format: DirectoryFormat, alternateNames: (column: Int, separator: Character)? = nil, featureCode: Int? = nil,
                columnCount: Int? = nil) {
        self.format = format; self.alternateNames = alternateNames; self.featureCode = featureCode
        self.columnCount = columnCount ?? format.header.count
    }

    public static func == (a: DirectoryLayout, b: DirectoryLayout) -> Bool {
        a.format == b.format && a.columnCount == b.columnCount && a.featureCode == b.featureCode
            && a.alternateNames?.column == b.alternateNames?.column && a.alternateNames?.separator == b.alternateNames?.separator
    }

    /// The optional columns each format may carry.
    public static func optionalColumns(of format: DirectoryFormat) -> [String] {
        switch format {
        case .geonames: return ["alternatenames", "alternate_names", "feature_code"]
        case .plain: return ["alternate_names"]
        }
    }

    public var header: [String] {
        var h = format.header + Array(repeating: "", count: columnCount - format.header.count)
        if let a = alternateNames { h[a.column] = a.separator == "," ? "alternatenames" : "alternate_names" }
        if let f = featureCode { h[f] = "feature_code" }
        return h
    }

    public static func detect(headerLine: Substring) -> DirectoryLayout? {
        var trimmed = headerLine
        if trimmed.hasPrefix("\u{FEFF}") { trimmed = trimmed.dropFirst() }
        guard case .success(let fields) = CSV.fields(of: trimmed) else { return nil }
        let names = fields.map { $0.trimmingWhitespace().lowercased() }
        for format in DirectoryFormat.allCases where names.count >= format.header.count {
            guard Array(names.prefix(format.header.count)) == format.header else { continue }
            var layout = DirectoryLayout(format: format, columnCount: names.count)
            var known = true
            for (i, n) in names.enumerated().dropFirst(format.header.count) {
                guard optionalColumns(of: format).contains(n) else { known = false; break }
                switch n {
                case "alternatenames", "alternate_names":
                    guard layout.alternateNames == nil else { known = false; break }
                    layout.alternateNames = (i, n == "alternatenames" ? "," : ";")
                default:
                    guard layout.featureCode == nil else { known = false; break }
                    layout.featureCode = i
                }
            }
            if known { return layout }
        }
        return nil
    }
}

public enum DirectoryFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case wrongHeader(found: String)

    public var description: String {
        switch self {
        case .empty: return "the file is empty: expected a header line"
        case .wrongHeader(let found):
            let expected = DirectoryFormat.allCases.map { $0.header.joined(separator: ",") }.joined(separator: "\" or \"")
            return "line 1: the header \"\(found)\" is not a directory header; expected \"\(expected)\", optionally followed by "
                + "alternate_names (and for GeoNames files alternatenames or feature_code). Nothing was imported."
        }
    }
}

/// Reads directory lines one at a time; the caller stores good records in batches and reports errors.
public struct DirectoryLineParser: Sendable {
    public let layout: DirectoryLayout
    public var format: DirectoryFormat { layout.format }
    /// Only keep records of this country (ISO 3166-1 alpha-2), when set.
    public let countryFilter: String?

    public init(format: DirectoryFormat, countryFilter: String? = nil) {
        self.init(layout: DirectoryLayout(format: format), countryFilter: countryFilter)
    }

    public init(layout: DirectoryLayout, countryFilter: String? = nil) {
        self.layout = layout
        self.countryFilter = countryFilter?.uppercased()
    }

    public enum Outcome: Equatable, Sendable {
        case record(DirectoryRecord)
        case skipped  // blank line, or another country than the filter
        /// A place the file marks as not a municipality (its feature code, e.g. PPLX: a section of a city).
        case notAMunicipality(String)
        case invalid(DirectoryLineError)
    }

    public func parse(_ raw: Substring, lineNumber: Int) -> Outcome {
        var line = raw
        if line.hasSuffix("\r") { line = line.dropLast() }
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return .skipped }
        let fields: [String]
        switch CSV.fields(of: line) {
        case .success(let f): fields = f.map { $0.trimmingWhitespace() }
        case .failure(.unterminatedQuote): return fail(lineNumber, "a quoted field is not closed")
        case .failure(.textAfterClosingQuote): return fail(lineNumber, "text follows a closing quote")
        }
        let expected = layout.columnCount
        guard fields.count == expected else {
            return fail(lineNumber, "expected \(expected) fields (\(layout.header.joined(separator: ","))), found \(fields.count)")
        }
        if let f = layout.featureCode {
            let code = fields[f].uppercased()
            if PlaceFeature.notMunicipalities.contains(code) { return .notAMunicipality(code) }
        }
        let outcome: Outcome
        switch format {
        case .geonames: outcome = geonames(fields, lineNumber)
        case .plain: outcome = plain(fields, lineNumber)
        }
        guard case .record(var r) = outcome, let a = layout.alternateNames else { return outcome }
        r.alternateNames = AlternateNames.clean(fields[a.column].split(separator: a.separator).map(String.init), besides: r.name)
        return .record(r)
    }

    private func fail(_ line: Int, _ reason: String) -> Outcome { .invalid(DirectoryLineError(line: line, reason: reason)) }

    private func country(_ value: String, _ line: Int) -> Result<String, DirectoryLineError> {
        let code = value.uppercased()
        guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return .failure(DirectoryLineError(line: line, reason: "country \"\(value)\" is not a two-letter ISO code"))
        }
        return .success(code)
    }

    private func population(_ value: String, _ line: Int) -> Result<Int?, DirectoryLineError> {
        if value.isEmpty { return .success(Int?.none) }
        guard let n = Int(value), n >= 0 else {
            return .failure(DirectoryLineError(line: line, reason: "population \"\(value)\" is not a whole number of zero or more"))
        }
        return .success(n)
    }

    private func geonames(_ f: [String], _ line: Int) -> Outcome {
        guard let id = Int(f[0]), id > 0 else { return fail(line, "geonameid \"\(f[0])\" is not a positive whole number") }
        guard !f[1].isEmpty else { return fail(line, "name is empty") }
        let cc: String
        switch country(f[2], line) { case .success(let c): cc = c; case .failure(let e): return .invalid(e) }
        if let filter = countryFilter, filter != cc { return .skipped }
        var lat: Double? = nil, lon: Double? = nil
        if !f[4].isEmpty || !f[5].isEmpty {
            guard let la = Double(f[4]), (-90...90).contains(la) else { return fail(line, "latitude \"\(f[4])\" is not a number between -90 and 90") }
            guard let lo = Double(f[5]), (-180...180).contains(lo) else { return fail(line, "longitude \"\(f[5])\" is not a number between -180 and 180") }
            lat = la; lon = lo
        }
        let pop: Int?
        switch population(f[6], line) { case .success(let p): pop = p; case .failure(let e): return .invalid(e) }
        return .record(DirectoryRecord(sourceKey: "geonames:\(id)", name: f[1], country: cc, region: f[3].isEmpty ? nil : f[3],
                                       latitude: lat, longitude: lon, population: pop, timezone: f[7].isEmpty ? nil : f[7]))
    }

    private func plain(_ f: [String], _ line: Int) -> Outcome {
        guard !f[0].isEmpty else { return fail(line, "code is empty") }
        guard f[0].count <= 64 else { return fail(line, "code is longer than 64 characters") }
        guard !f[1].isEmpty else { return fail(line, "name is empty") }
        let cc: String
        switch country(f[2], line) { case .success(let c): cc = c; case .failure(let e): return .invalid(e) }
        if let filter = countryFilter, filter != cc { return .skipped }
        let pop: Int?
        switch population(f[3], line) { case .success(let p): pop = p; case .failure(let e): return .invalid(e) }
        return .record(DirectoryRecord(sourceKey: "code:\(f[0])", name: f[1], country: cc, population: pop))
    }
}

extension String {
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
