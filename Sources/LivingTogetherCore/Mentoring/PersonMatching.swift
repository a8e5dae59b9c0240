import Foundation

/// A person in a person-to-person programme, as far as matching needs: the facts the rules test, and what a
/// suggestion compares. Only what the programme declares is kept (see `ProgrammeRules.facts`).
public struct PersonProfile: Sendable, Equatable {
    public var id: Int
    /// The facts the programme's rules test ("age", "workPermit" …).
    public var facts: [String: FactValue]
    /// The sector a mentee aims at, or a mentor's professional sector (an id from the programme's list).
    public var sector: String?
    /// A mentor's years of professional experience.
    public var experienceYears: Int?
    /// Languages spoken well enough for the programme (ISO 639-1 codes).
    public var languages: [String]
    public var municipality: String?
    public var latitude: Double?
    public var longitude: Double?
    /// Hours a week a mentor is available, or a mentee asks for.
    public var hoursPerWeek: Double?
    /// Mentees a mentor can still take (ignored for mentees).
    public var freeCapacity: Int

    public init(id: Int, facts: [String: FactValue] = [:], sector: String? = nil, experienceYears: Int? = nil,
                languages: [String] = [], municipality: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                hoursPerWeek: Double? = nil, freeCapacity: Int = 0) {
        self.id = id; self.facts = facts; self.sector = sector; self.experienceYears = experienceYears
        self.languages = languages; self.municipality = municipality; self.latitude = latitude; self.longitude = longitude
        self.hoursPerWeek = hoursPerWeek; self.freeCapacity = freeCapacity
    }
}

public struct PersonMatchWeights: Sendable, Equatable {
    public var sameSector = 3.0
    /// Per year of experience, up to `experienceYearsCounted` years.
    public var experiencePerYear = 0.1
    public var experienceYearsCounted = 30
    public var sharedLanguage = 2.0
    public var sameMunicipality = 2.0
    /// Within `nearbyKm`, from `nearby` (next door) down to 0 (at the limit).
    public var nearby = 1.5
    public var nearbyKm = 25.0
    public var available = 1.0
    public init() {}

    /// The highest score a pair can reach: costs of a round are measured down from it.
    public var maximum: Double {
        sameSector + experiencePerYear * Double(experienceYearsCounted) + sharedLanguage + max(sameMunicipality, nearby) + available
    }
}

public struct PersonSuggestion: Sendable, Equatable {
    public var mentorID: Int
    public var score: Double
    public var reasons: [MatchReason]
}

/// Suggestions and round costs for person-to-person programmes (hundreds of people: plain arrays suffice).
public enum PersonMatcher {
    /// The pair's score and its reasons: sector and experience, a shared language, place, availability.
    public static func score(mentee: PersonProfile, mentor: PersonProfile, weights w: PersonMatchWeights = PersonMatchWeights()) -> (score: Double, reasons: [MatchReason]) {
        var s = 0.0
        var reasons: [MatchReason] = []
        if let a = mentee.sector, let b = mentor.sector, a == b { s += w.sameSector; reasons.append(.sameSector(a)) }
        if let y = mentor.experienceYears, y > 0 {
            s += w.experiencePerYear * Double(min(y, w.experienceYearsCounted))
            reasons.append(.experience(years: y))
        }
        let menteeLanguages = mentee.languages.map { $0.lowercased() }
        if let l = mentor.languages.map({ $0.lowercased() }).first(where: { menteeLanguages.contains($0) }) {
            s += w.sharedLanguage; reasons.append(.sharedLanguage(l))
        }
        if let a = mentee.municipality, let b = mentor.municipality, a.lowercased() == b.lowercased() {
            s += w.sameMunicipality; reasons.append(.sameMunicipality(b))
        } else if let km = distanceKm(mentee, mentor), km <= w.nearbyKm {
            s += w.nearby * (1 - km / w.nearbyKm); reasons.append(.nearby(km: km))
        }
        if let h = mentor.hoursPerWeek, h >= (mentee.hoursPerWeek ?? 0), h > 0 {
            s += w.available; reasons.append(.available(hoursPerWeek: h))
        }
        return (s, reasons)
    }

    /// Great-circle distance in kilometres, when both have coordinates.
    public static func distanceKm(_ a: PersonProfile, _ b: PersonProfile) -> Double? {
        guard let la1 = a.latitude, let lo1 = a.longitude, let la2 = b.latitude, let lo2 = b.longitude else { return nil }
        let r = Double.pi / 180
        let dLat = (la2 - la1) * r, dLon = (lo2 - lo1) * r
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(la1 * r) * cos(la2 * r) * sin(dLon / 2) * sin(dLon / 2)
        return 6371.0088 * 2 * asin(min(1, sqrt(h)))
    }

    /// Ranked mentors for `mentee`. A mentee who fails the programme's rules is refused with the rules it fails;
    /// mentors who fail theirs, or have no free place, are left out. Ties go to the lower mentor id.
    public static func suggestions(for mentee: PersonProfile, among mentors: [PersonProfile], rules: ProgrammeRules,
                                   limit: Int = 10, weights: PersonMatchWeights = PersonMatchWeights()) -> Result<[PersonSuggestion], MentoringError> {
        let failures = Eligibility.check(mentee.facts, rules.menteeRules)
        if !failures.isEmpty { return .failure(.ineligible(role: .mentee, failures: failures)) }
        var ranked: [PersonSuggestion] = []
        for m in mentors where m.freeCapacity > 0 && m.id != mentee.id && Eligibility.check(m.facts, rules.mentorRules).isEmpty {
            let (s, r) = score(mentee: mentee, mentor: m, weights: weights)
            ranked.append(PersonSuggestion(mentorID: m.id, score: s, reasons: r))
        }
        ranked.sort { a, b in a.score > b.score || (a.score == b.score && a.mentorID < b.mentorID) }
        return .success(Array(ranked.prefix(max(0, limit))))
    }

    /// The costs of a round (mentees × mentors, row-major) and the mentors' capacities (their free places, at most
    /// the programme's maximum). A pair with an ineligible mentee or mentor is not allowed (`.infinity`); otherwise
    /// the cost is the best possible score minus the pair's score.
    public static func roundCosts(mentees: [PersonProfile], mentors: [PersonProfile], rules: ProgrammeRules,
                                  weights: PersonMatchWeights = PersonMatchWeights()) -> (costs: [Double], capacities: [Int]) {
        let menteeOK = mentees.map { Eligibility.check($0.facts, rules.menteeRules).isEmpty }
        let mentorOK = mentors.map { Eligibility.check($0.facts, rules.mentorRules).isEmpty }
        var costs = [Double](repeating: .infinity, count: mentees.count * mentors.count)
        for (i, a) in mentees.enumerated() where menteeOK[i] {
            for (j, b) in mentors.enumerated() where mentorOK[j] && a.id != b.id {
                costs[i * mentors.count + j] = weights.maximum - score(mentee: a, mentor: b, weights: weights).score
            }
        }
        let capacities = mentors.enumerated().map { j, m in mentorOK[j] ? max(0, min(m.freeCapacity, rules.capacity.maximum)) : 0 }
        return (costs, capacities)
    }
}

/// A small, fast, seedable random generator (SplitMix64, Steele, Lea and Flood 2014), for generated demo data,
/// benchmarks and property tests that must give the same numbers on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A double in [0, 1) from the top 53 bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
