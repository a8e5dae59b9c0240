/// The kinds of organisation the platform knows (PRODUCT.md, module 1).
public enum OrganisationKind: String, CaseIterable, Sendable, Codable {
    case municipality
    case association
    case agency
    case partner
    case network

    /// The key of its label in the interface strings.
    public var labelKey: String { "kind.\(rawValue)" }
}

/// Population size bands used to filter the directory and to find peers.
public enum SizeBand: String, CaseIterable, Sendable, Codable {
    case xs, s, m, l, xl

    /// Lower bound (inclusive) and upper bound (exclusive, nil = open).
    public var range: (lower: Int, upper: Int?) {
        switch self {
        case .xs: return (0, 5_000)
        case .s: return (5_000, 20_000)
        case .m: return (20_000, 100_000)
        case .l: return (100_000, 500_000)
        case .xl: return (500_000, nil)
        }
    }

    public static func of(population: Int) -> SizeBand {
        for band in allCases {
            let (lower, upper) = band.range
            if population >= lower, upper.map({ population < $0 }) ?? true { return band }
        }
        return .xs
    }

    public func contains(_ population: Int) -> Bool { SizeBand.of(population: population) == self }

    public var labelKey: String { "band.\(rawValue)" }
}
