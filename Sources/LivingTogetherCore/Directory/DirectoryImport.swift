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

    public init(sourceKey: String, name: String, country: String, region: String? = nil, latitude: Double? = nil,
                longitude: Double? = nil, population: Int? = nil, timezone: String? = nil) {
        self.sourceKey = sourceKey; self.name = name; self.country = country; self.region = region
        self.latitude = latitude; self.longitude = longitude; self.population = population; self.timezone = timezone
    }
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

    public static func detect(headerLine: Substring) -> DirectoryFormat? {
        var trimmed = headerLine
        if trimmed.hasPrefix("\u{FEFF}") { trimmed = trimmed.dropFirst() }
        guard case .success(let fields) = CSV.fields(of: trimmed) else { return nil }
        let names = fields.map { $0.trimmingWhitespace().lowercased() }
        return allCases.first { $0.header == names }
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
            return "line 1: the header \"\(found)\" is not a directory header; expected \"\(expected)\". Nothing was imported."
        }
    }
}

/// Reads directory lines one at a time; the caller stores good records in batches and reports errors.
public struct DirectoryLineParser: Sendable {
    public let format: DirectoryFormat
    /// Only keep records of this country (ISO 3166-1 alpha-2), when set.
    public let countryFilter: String?

    public init(format: DirectoryFormat, countryFilter: String? = nil) {
        self.format = format
        self.countryFilter = countryFilter?.uppercased()
    }

    public enum Outcome: Equatable, Sendable {
        case record(DirectoryRecord)
        case skipped  // blank line, or another country than the filter
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
        let expected = format.header.count
        guard fields.count == expected else {
            return fail(lineNumber, "expected \(expected) fields (\(format.header.joined(separator: ","))), found \(fields.count)")
        }
        switch format {
        case .geonames: return geonames(fields, lineNumber)
        case .plain: return plain(fields, lineNumber)
        }
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
