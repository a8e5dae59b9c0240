import Foundation

/// A municipality in a city-to-city programme: its benchmark levels on the programme's theme and the common
/// ground it may share with others.
public struct CityProfile: Sendable, Equatable {
    public var organisationID: Int
    public var name: String
    /// ISO 3166 alpha-2 code.
    public var country: String
    /// Official or working languages (ISO 639-1 codes).
    public var languages: [String]
    public var population: Int?
    /// The national (or regional) integration framework it works under, e.g. "BE-VL"; nil when none is known.
    public var nationalFramework: String?
    /// Level per key factor of the theme (its latest submitted assessment); unrated factors are absent.
    public var levels: [String: Int]
    /// Mentees it can still take in the programme (0 for a mentee or a full mentor).
    public var freeCapacity: Int

    public init(organisationID: Int, name: String, country: String, languages: [String], population: Int?,
                nationalFramework: String? = nil, levels: [String: Int], freeCapacity: Int = 0) {
        self.organisationID = organisationID; self.name = name; self.country = country; self.languages = languages
        self.population = population; self.nationalFramework = nationalFramework; self.levels = levels
        self.freeCapacity = freeCapacity
    }

    public var band: SizeBand? { population.map { SizeBand.of(population: $0) } }
}

/// How much each factor weighs in a city-to-city suggestion. The key factors dominate: common ground breaks ties
/// between mentors who bring as much on the theme.
public struct CityMatchWeights: Sendable, Equatable {
    /// Per level the mentor is above the mentee, where the mentee has a gap and the mentor a strength.
    public var strengthOnGap = 2.0
    /// Per level the mentor is above the mentee otherwise.
    public var further = 1.0
    public var sameCountry = 3.0
    public var sharedLanguage = 2.0
    public var sameSize = 1.5
    public var similarSize = 0.5
    public var sameNationalFramework = 1.0
    /// Per free place, up to `freePlacesCounted` places.
    public var freePlace = 0.25
    public var freePlacesCounted = 3
    public init() {}
}

/// One suggested mentor, with its score and the reasons for it (key factors first, strongest first).
public struct CitySuggestion: Sendable, Equatable {
    public var organisationID: Int
    public var name: String
    public var score: Double
    public var reasons: [MatchReason]
}

/// All candidate mentors of a theme, kept in flat arrays (one byte per level, bit masks for languages, small
/// integers for countries, bands and frameworks), so that ranking 100,000 municipalities for one mentee is a
/// single pass with a table lookup per key factor and a bounded heap of the best few.
public struct CityCandidatePool: Sendable {
    public let keyFactors: [String]
    public let scale: ClosedRange<Int>
    public private(set) var count = 0

    private var ids: [Int] = []
    private var names: [String] = []
    private var levels: [UInt8] = []        // count × keyFactors.count; 0 = not rated
    private var country: [Int32] = []
    private var languageMask: [UInt64] = []
    private var band: [Int8] = []           // -1: population unknown
    private var framework: [Int32] = []     // -1: none
    private var free: [Int32] = []
    private var indexOfID: [Int: Int] = [:]

    private var countryCodes: [String: Int32] = [:], countryList: [String] = []
    private var frameworkCodes: [String: Int32] = [:], frameworkList: [String] = []
    /// Languages get one bit each; past 64 distinct languages, further ones are not compared.
    private var languageBits: [String: Int] = [:], languageList: [String] = []

    public init(keyFactors: [String], scale: ClosedRange<Int>, candidates: [CityProfile] = []) {
        precondition(scale.lowerBound >= 1 && scale.upperBound <= 250, "levels are stored in one byte, 0 meaning not rated")
        self.keyFactors = keyFactors
        self.scale = scale
        reserveCapacity(candidates.count)
        for c in candidates { append(c) }
    }

    public mutating func reserveCapacity(_ n: Int) {
        ids.reserveCapacity(n); names.reserveCapacity(n); levels.reserveCapacity(n * keyFactors.count)
        country.reserveCapacity(n); languageMask.reserveCapacity(n); band.reserveCapacity(n)
        framework.reserveCapacity(n); free.reserveCapacity(n)
    }

    private static func code(_ s: String, _ codes: inout [String: Int32], _ list: inout [String]) -> Int32 {
        if let c = codes[s] { return c }
        let c = Int32(list.count); codes[s] = c; list.append(s); return c
    }

    private mutating func mask(_ languages: [String]) -> UInt64 {
        var m: UInt64 = 0
        for l in languages {
            let key = l.lowercased()
            if languageBits[key] == nil, languageList.count < 64 { languageBits[key] = languageList.count; languageList.append(key) }
            if let b = languageBits[key] { m |= 1 << UInt64(b) }
        }
        return m
    }

    /// Adds a candidate (or replaces the one with the same organisation id). Levels outside the scale count as not rated.
    public mutating func append(_ c: CityProfile) {
        if let i = indexOfID[c.organisationID] { replace(at: i, with: c); return }
        indexOfID[c.organisationID] = count
        ids.append(c.organisationID); names.append(c.name)
        for k in keyFactors { levels.append(Self.byte(c.levels[k], scale)) }
        country.append(Self.code(c.country.uppercased(), &countryCodes, &countryList))
        languageMask.append(mask(c.languages))
        band.append(c.band.map { Int8(SizeBand.allCases.firstIndex(of: $0)!) } ?? -1)
        framework.append(c.nationalFramework.map { Self.code($0, &frameworkCodes, &frameworkList) } ?? -1)
        free.append(Int32(clamping: c.freeCapacity))
        count += 1
    }

    private mutating func replace(at i: Int, with c: CityProfile) {
        names[i] = c.name
        for (k, id) in keyFactors.enumerated() { levels[i * keyFactors.count + k] = Self.byte(c.levels[id], scale) }
        country[i] = Self.code(c.country.uppercased(), &countryCodes, &countryList)
        languageMask[i] = mask(c.languages)
        band[i] = c.band.map { Int8(SizeBand.allCases.firstIndex(of: $0)!) } ?? -1
        framework[i] = c.nationalFramework.map { Self.code($0, &frameworkCodes, &frameworkList) } ?? -1
        free[i] = Int32(clamping: c.freeCapacity)
    }

    private static func byte(_ level: Int?, _ scale: ClosedRange<Int>) -> UInt8 {
        guard let level, scale.contains(level) else { return 0 }
        return UInt8(level)
    }

    /// Changes the places a mentor still has (after a round is confirmed, or a duo ends).
    public mutating func setFreeCapacity(organisationID: Int, _ n: Int) {
        if let i = indexOfID[organisationID] { free[i] = Int32(clamping: n) }
    }


    /// Per key factor and mentor level, what the mentor brings to this mentee: a table of
    /// `keyFactors.count × (scale.upperBound + 1)` entries, so that scoring a candidate is one lookup per factor.
    private func factorTable(_ mentee: CityProfile, _ w: CityMatchWeights) -> (table: [Double], stride: Int) {
        let stride = scale.upperBound + 1
        var table = [Double](repeating: 0, count: keyFactors.count * stride)
        for (k, id) in keyFactors.enumerated() {
            guard let m = mentee.levels[id], scale.contains(m) else { continue }   // unrated: nothing to compare
            for s in scale where s > m {
                let weight = Scoring.isGap(m, scale: scale) && Scoring.isStrength(s, scale: scale) ? w.strengthOnGap : w.further
                table[k * stride + s] = weight * Double(s - m)
            }
        }
        return (table, stride)
    }

    /// The best `limit` mentors for `mentee`, best first, each with its reasons.
    ///
    /// A candidate is left out when it has no free place, when it is the mentee itself, or when it is not further
    /// than the mentee on any key factor (a mentor must bring something on the theme). Ties go to the candidate
    /// added first. One pass over the flat arrays with a bounded min-heap: O(n · key factors + n log limit).
    public func suggestions(for mentee: CityProfile, limit: Int = 10, weights w: CityMatchWeights = CityMatchWeights()) -> [CitySuggestion] {
        guard limit > 0, count > 0, !keyFactors.isEmpty else { return [] }
        let (table, stride) = factorTable(mentee, w)
        let K = keyFactors.count
        let menteeCountry = countryCodes[mentee.country.uppercased()] ?? -2
        var menteeLanguages: UInt64 = 0
        for l in mentee.languages { if let b = languageBits[l.lowercased()] { menteeLanguages |= 1 << UInt64(b) } }
        let menteeBand = mentee.band.map { Int8(SizeBand.allCases.firstIndex(of: $0)!) } ?? -1
        let menteeFramework = mentee.nationalFramework.flatMap { frameworkCodes[$0] } ?? -2
        let selfIndex = indexOfID[mentee.organisationID] ?? -1
        let counted = Int32(max(0, w.freePlacesCounted))

        // Bounded min-heap of (score, index): the root is the weakest of the best so far.
        var heapScore = [Double](repeating: 0, count: limit)
        var heapIndex = [Int32](repeating: 0, count: limit)
        var heapCount = 0

        table.withUnsafeBufferPointer { table in
        levels.withUnsafeBufferPointer { levels in
        free.withUnsafeBufferPointer { free in
        country.withUnsafeBufferPointer { country in
        languageMask.withUnsafeBufferPointer { languageMask in
        band.withUnsafeBufferPointer { band in
        framework.withUnsafeBufferPointer { framework in
        heapScore.withUnsafeMutableBufferPointer { hs in
        heapIndex.withUnsafeMutableBufferPointer { hi in
            // "a is worse than b": lower score, or the same score and added later.
            @inline(__always) func worse(_ sa: Double, _ ia: Int32, _ sb: Double, _ ib: Int32) -> Bool { sa < sb || (sa == sb && ia > ib) }
            @inline(__always) func siftDown(_ start: Int) {
                var p = start
                while true {
                    let l = 2 * p + 1, r = l + 1
                    var m = p
                    if l < heapCount && worse(hs[l], hi[l], hs[m], hi[m]) { m = l }
                    if r < heapCount && worse(hs[r], hi[r], hs[m], hi[m]) { m = r }
                    if m == p { return }
                    hs.swapAt(p, m); hi.swapAt(p, m); p = m
                }
            }
            for i in 0..<count {
                let places = free[i]
                if places <= 0 || i == selfIndex { continue }
                var f = 0.0
                let row = i * K
                for k in 0..<K { f += table[k * stride + Int(levels[row + k])] }
                if f <= 0 { continue }
                var s = f
                if country[i] == menteeCountry { s += w.sameCountry }
                if languageMask[i] & menteeLanguages != 0 { s += w.sharedLanguage }
                let b = band[i]
                if b >= 0 && menteeBand >= 0 {
                    if b == menteeBand { s += w.sameSize } else if abs(Int(b) - Int(menteeBand)) == 1 { s += w.similarSize }
                }
                if framework[i] == menteeFramework { s += w.sameNationalFramework }
                s += w.freePlace * Double(min(places, counted))
                let idx = Int32(i)
                if heapCount < limit {
                    // Sift up.
                    var c = heapCount
                    hs[c] = s; hi[c] = idx; heapCount += 1
                    while c > 0 {
                        let p = (c - 1) / 2
                        if worse(hs[c], hi[c], hs[p], hi[p]) { hs.swapAt(c, p); hi.swapAt(c, p); c = p } else { break }
                    }
                } else if worse(hs[0], hi[0], s, idx) {
                    hs[0] = s; hi[0] = idx
                    siftDown(0)
                }
            }
        }}}}}}}}}

        var best = (0..<heapCount).map { (score: heapScore[$0], index: Int(heapIndex[$0])) }
        best.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        return best.map { CitySuggestion(organisationID: ids[$0.index], name: names[$0.index], score: $0.score,
                                         reasons: reasons(mentee, $0.index, w)) }
    }

    /// The reasons for candidate `i`: what it brings on each key factor (most first), then the common ground.
    private func reasons(_ mentee: CityProfile, _ i: Int, _ w: CityMatchWeights) -> [MatchReason] {
        var factors: [(weight: Double, reason: MatchReason)] = []
        for (k, id) in keyFactors.enumerated() {
            let s = Int(levels[i * keyFactors.count + k])
            guard let m = mentee.levels[id], scale.contains(m), s > m else { continue }
            if Scoring.isGap(m, scale: scale) && Scoring.isStrength(s, scale: scale) {
                factors.append((w.strengthOnGap * Double(s - m), .strengthOnGap(keyFactor: id, mentor: s, mentee: m)))
            } else {
                factors.append((w.further * Double(s - m), .further(keyFactor: id, mentor: s, mentee: m)))
            }
        }
        var out = factors.enumerated().sorted { ($0.element.weight, -$0.offset) > ($1.element.weight, -$1.offset) }.map(\.element.reason)
        let c = countryList[Int(country[i])]
        if c == mentee.country.uppercased() { out.append(.sameCountry(c)) }
        let menteeLanguages = Set(mentee.languages.map { $0.lowercased() })
        if let shared = languageList.indices.first(where: { languageMask[i] & (1 << UInt64($0)) != 0 && menteeLanguages.contains(languageList[$0]) }) {
            out.append(.sharedLanguage(languageList[shared]))
        }
        if band[i] >= 0, let mb = mentee.band {
            let b = SizeBand.allCases[Int(band[i])]
            if b == mb { out.append(.sameSize(b)) }
            else if let m = SizeBand.allCases.firstIndex(of: mb), abs(Int(band[i]) - m) == 1 { out.append(.similarSize(mentor: b, mentee: mb)) }
        }
        if framework[i] >= 0, let f = mentee.nationalFramework, frameworkList[Int(framework[i])] == f { out.append(.sameNationalFramework(f)) }
        out.append(.freePlaces(Int(free[i])))
        return out
    }

    /// The costs of a round: every mentee against every candidate (as mentors, with their free places as
    /// capacities). A pair is not allowed (cost `.infinity`) when the candidate brings nothing on the theme or is
    /// the mentee itself; otherwise the cost is the best possible score minus the pair's score, so the cheapest
    /// assignment is the one with the best suggestions overall.
    public func roundCosts(mentees: [CityProfile], weights w: CityMatchWeights = CityMatchWeights()) -> (costs: [Double], capacities: [Int]) {
        var scores = [Double](repeating: -.infinity, count: mentees.count * count)
        for (r, mentee) in mentees.enumerated() {
            let all = suggestions(for: mentee, limit: count, weights: w)
            for s in all { if let c = indexOfID[s.organisationID] { scores[r * count + c] = s.score } }
        }
        let top = scores.filter { $0.isFinite }.max() ?? 0
        let costs = scores.map { $0.isFinite ? top - $0 : .infinity }
        return (costs, free.map { Int($0) })
    }
}
