/// The figures of an assessment's report, computed from its content and framework.
public struct ReportFigures: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var keyFactorID: String
        public var level: Int?
        public var previous: Int?
        public var peerAverage: Double?
        public var isGap: Bool
        public var isStrength: Bool
    }
    public var rows: [Row]
    /// Mean level over the rated key factors.
    public var average: Double?
    public var peerCount: Int
    public var peersShown: Bool
}

public enum Scoring {
    /// A key factor is a gap below the middle of the scale, a strength at or above the step below the top.
    public static func isGap(_ level: Int, scale: ClosedRange<Int>) -> Bool {
        Double(level) < Double(scale.lowerBound + scale.upperBound) / 2
    }
    public static func isStrength(_ level: Int, scale: ClosedRange<Int>) -> Bool {
        level >= scale.upperBound - 1 && scale.upperBound - 1 > scale.lowerBound
    }

    public static func average(_ levels: [Int]) -> Double? {
        levels.isEmpty ? nil : Double(levels.reduce(0, +)) / Double(levels.count)
    }

    public static func figures(framework: Framework, content: AssessmentContent, previous: AssessmentContent?,
                               peers: PeerAverages?) -> ReportFigures {
        let scale = framework.scale.values
        let rows = framework.keyFactors.map { k -> ReportFigures.Row in
            let level = content.ratings[k.id]?.level
            return ReportFigures.Row(
                keyFactorID: k.id, level: level, previous: previous?.ratings[k.id]?.level,
                peerAverage: peers?.shown == true ? peers?.averages[k.id] : nil,
                isGap: level.map { isGap($0, scale: scale) } ?? false,
                isStrength: level.map { isStrength($0, scale: scale) } ?? false)
        }
        return ReportFigures(rows: rows, average: average(rows.compactMap(\.level)), peerCount: peers?.count ?? 0,
                             peersShown: peers?.shown ?? false)
    }
}

/// Anonymous averages of similar municipalities' submitted assessments of one framework.
public struct PeerAverages: Sendable, Equatable {
    /// Averages are shown only when at least this many municipalities contribute, so that no single
    /// municipality can be recognised.
    public static let minimumPeers = 5
    public var count: Int
    public var averages: [String: Double]
    public var shown: Bool { count >= Self.minimumPeers }
}

/// The latest submitted levels of every municipality for one framework, indexed so that the peers of a
/// municipality (same country, or same size band) are summed without scanning them all.
public struct PeerIndex: Sendable {
    public struct Contribution: Sendable, Equatable {
        public var organisationID: Int
        public var country: String
        public var band: SizeBand?
        public var levels: [String: Int]
        public init(organisationID: Int, country: String, band: SizeBand?, levels: [String: Int]) {
            self.organisationID = organisationID; self.country = country; self.band = band; self.levels = levels
        }
    }

    private struct Sums: Sendable {
        var municipalities = 0
        var total: [String: Int] = [:]
        var counted: [String: Int] = [:]
        mutating func add(_ levels: [String: Int], sign: Int = 1) {
            municipalities += sign
            for (k, v) in levels { total[k, default: 0] += sign * v; counted[k, default: 0] += sign }
        }
        mutating func add(_ other: Sums, sign: Int) {
            municipalities += sign * other.municipalities
            for (k, v) in other.total { total[k, default: 0] += sign * v }
            for (k, v) in other.counted { counted[k, default: 0] += sign * v }
        }
    }

    private var byCountry: [String: Sums] = [:]
    private var byBand: [SizeBand: Sums] = [:]
    private var byBoth: [String: Sums] = [:]
    private var contributions: [Int: Contribution] = [:]

    public init(_ contributions: [Contribution]) {
        for c in contributions { self.contributions[c.organisationID] = c }
        for c in self.contributions.values {
            byCountry[c.country, default: Sums()].add(c.levels)
            if let b = c.band {
                byBand[b, default: Sums()].add(c.levels)
                byBoth["\(c.country)|\(b.rawValue)", default: Sums()].add(c.levels)
            }
        }
    }

    public var count: Int { contributions.count }

    /// Peers of a municipality: others of the same country or the same size band; itself excluded.
    public func peers(of organisationID: Int, country: String, band: SizeBand?) -> PeerAverages {
        var sums = byCountry[country] ?? Sums()
        if let band {
            sums.add(byBand[band] ?? Sums(), sign: 1)
            sums.add(byBoth["\(country)|\(band.rawValue)"] ?? Sums(), sign: -1)
        }
        if let own = contributions[organisationID], own.country == country || (band != nil && own.band == band) {
            sums.add(own.levels, sign: -1)
        }
        var averages: [String: Double] = [:]
        for (k, total) in sums.total where (sums.counted[k] ?? 0) > 0 {
            averages[k] = Double(total) / Double(max(1, sums.counted[k] ?? 1))
        }
        return PeerAverages(count: sums.municipalities, averages: averages)
    }
}
