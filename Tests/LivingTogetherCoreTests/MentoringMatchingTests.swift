import Foundation
import Testing
@testable import LivingTogetherCore

/// Optimal assignment (property tests against brute force), and suggestions whose reasons name real factors.
@Suite struct MentoringAssignmentTests {
    /// The best objective by trying every choice: each mentee takes an allowed mentor with a free place, or none at
    /// `penalty`.
    static func bruteForce(_ costs: [Double], mentees: Int, capacities: [Int], penalty: Double) -> Double {
        let mentors = capacities.count
        var left = capacities
        var best = Double.infinity
        func go(_ i: Int, _ sum: Double) {
            if i == mentees { best = min(best, sum); return }
            go(i + 1, sum + penalty)
            for j in 0..<mentors where left[j] > 0 && costs[i * mentors + j].isFinite {
                left[j] -= 1
                go(i + 1, sum + costs[i * mentors + j])
                left[j] += 1
            }
        }
        go(0, 0)
        return best
    }

    @Test func randomSmallRoundsAreOptimalWithinCapacitiesAndRules() {
        var rng = SplitMix64(seed: 20240419)
        for round in 0..<600 {
            let mentees = Int.random(in: 1...6, using: &rng)
            let mentors = Int.random(in: 1...4, using: &rng)
            let capacities = (0..<mentors).map { _ in Int.random(in: 0...3, using: &rng) }
            let forbidShare = Double.random(in: 0...0.6, using: &rng)
            let integral = round % 2 == 0   // integer costs give many ties, which stress the tie-breaks
            let costs = (0..<(mentees * mentors)).map { _ -> Double in
                if rng.nextUnit() < forbidShare { return .infinity }
                return integral ? Double(Int.random(in: 0...5, using: &rng)) : rng.nextUnit() * 10
            }
            // Half the rounds with the default penalty (as many pairs as possible), half with a low one
            // (leaving a mentee out can be cheaper than a poor pair).
            let penalty: Double? = round % 4 < 2 ? nil : Double(Int.random(in: 1...8, using: &rng))
            let a = MentoringRound.assign(costs: costs, mentees: mentees, capacities: capacities, unassignedCost: penalty)

            #expect(a.mentorOf.count == mentees)
            for (j, n) in a.load.enumerated() { #expect(n <= capacities[j], "round \(round): mentor \(j) over capacity") }
            for (i, m) in a.mentorOf.enumerated() {
                if let m { #expect(costs[i * mentors + m].isFinite, "round \(round): forbidden pair \(i)–\(m)") }
            }
            #expect(MentoringRound.check(a.mentorOf, capacities: capacities, allowed: { costs[$0 * mentors + $1].isFinite }) == .success(a.load))
            let optimum = Self.bruteForce(costs, mentees: mentees, capacities: capacities, penalty: a.unassignedCost)
            #expect(abs(a.objective - optimum) <= 1e-9 * max(1, abs(optimum)), "round \(round): \(a.objective) vs optimum \(optimum)")
        }
    }

    @Test func theDefaultPenaltyPairsAsManyAsPossible() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let mentees = Int.random(in: 1...6, using: &rng), mentors = Int.random(in: 1...4, using: &rng)
            let capacities = (0..<mentors).map { _ in Int.random(in: 1...2, using: &rng) }
            let costs = (0..<(mentees * mentors)).map { _ in rng.nextUnit() < 0.4 ? Double.infinity : rng.nextUnit() * 100 }
            let a = MentoringRound.assign(costs: costs, mentees: mentees, capacities: capacities)
            // The most pairs possible: brute force with every pair at cost 0 and unassigned at 1.
            let zero = costs.map { $0.isFinite ? 0.0 : .infinity }
            let fewestLeft = Self.bruteForce(zero, mentees: mentees, capacities: capacities, penalty: 1)
            #expect(Double(a.unassigned.count) == fewestLeft)
        }
    }

    @Test func squareMatricesMatchBruteForceWithoutDummy() throws {
        var rng = SplitMix64(seed: 99)
        for n in 1...6 {
            for _ in 0..<20 {
                let costs = (0..<(n * n)).map { _ in Double(Int.random(in: 0...20, using: &rng)) }
                let cols = try LinearAssignment.solve(costs, rows: n, columns: n).get()
                #expect(Set(cols).count == n)
                let total = cols.enumerated().reduce(0.0) { $0 + costs[$1.offset * n + $1.element] }
                #expect(total == Self.bruteForce(costs, mentees: n, capacities: Array(repeating: 1, count: n), penalty: .infinity))
            }
        }
    }

    @Test func shapesAndInfeasibility() {
        #expect(LinearAssignment.solve([1, 2, 3], rows: 2, columns: 2) == .failure(.badShape))
        #expect(LinearAssignment.solve([1, 2], rows: 2, columns: 1) == .failure(.badShape))
        #expect(LinearAssignment.solve([.infinity, 1, .infinity, 2], rows: 2, columns: 2) == .failure(.infeasible(row: 1)))
        #expect(LinearAssignment.solve([.infinity, 1, .infinity, 2], rows: 2, columns: 2, unassignedCost: 10) == .success([1, -1]))
        #expect(LinearAssignment.solve([], rows: 0, columns: 0) == .success([]))
        let none = MentoringRound.assign(costs: [1, 2], mentees: 2, capacities: [0])
        #expect(none.mentorOf == [nil, nil])
    }

    @Test func anAdjustedRoundOverCapacityOrWithAForbiddenPairIsRefused() {
        let caps = [1, 2]
        let allowed: (Int, Int) -> Bool = { i, j in !(i == 2 && j == 1) }
        #expect(MentoringRound.check([0, 0, nil], capacities: caps, allowed: allowed) == .failure(.overCapacity(mentor: 0, capacity: 1, assigned: 2)))
        #expect(MentoringRound.check([0, 1, 1], capacities: caps, allowed: allowed) == .failure(.pairNotAllowed(mentee: 2, mentor: 1)))
        #expect(MentoringRound.check([0, 1, nil], capacities: caps, allowed: allowed) == .success([1, 1]))
        #expect(MentoringError.overCapacity(mentor: 0, capacity: 1, assigned: 2).description == "mentor 0 takes 1 mentee(s), not 2")
    }
}

@Suite struct CityMatchingTests {
    static let factors = ["know", "empower", "skills", "network", "image"]

    static func pool(_ rng: inout SplitMix64, count: Int) -> (CityCandidatePool, [CityProfile]) {
        let countries = [("BE", ["nl", "fr"]), ("NL", ["nl"]), ("IT", ["it"]), ("FR", ["fr"]), ("LV", ["lv"]), ("GR", ["el"])]
        var profiles: [CityProfile] = []
        for id in 1...count {
            let (c, l) = countries[Int.random(in: 0..<countries.count, using: &rng)]
            var levels: [String: Int] = [:]
            for k in factors where rng.nextUnit() < 0.9 { levels[k] = Int.random(in: 1...5, using: &rng) }
            profiles.append(CityProfile(organisationID: id, name: "Town \(id)", country: c, languages: l,
                                        population: Int.random(in: 800...600_000, using: &rng),
                                        nationalFramework: rng.nextUnit() < 0.5 ? "\(c)-national" : nil,
                                        levels: levels, freeCapacity: Int.random(in: 0...3, using: &rng)))
        }
        return (CityCandidatePool(keyFactors: factors, scale: 1...5, candidates: profiles), profiles)
    }

    static let mentee = CityProfile(organisationID: 0, name: "Demo", country: "BE", languages: ["nl"], population: 40_000,
                                    nationalFramework: "BE-national", levels: ["know": 2, "empower": 1, "skills": 4, "network": 3],
                                    freeCapacity: 0)

    /// Scores every candidate the slow, obvious way, to compare with the pool's single pass.
    static func naiveScore(_ m: CityProfile, _ c: CityProfile, _ w: CityMatchWeights = CityMatchWeights()) -> Double? {
        guard c.freeCapacity > 0, c.organisationID != m.organisationID else { return nil }
        var f = 0.0
        for k in factors {
            guard let a = m.levels[k], let b = c.levels[k], b > a else { continue }
            f += Double(b - a) * (a < 3 && b >= 4 ? w.strengthOnGap : w.further)
        }
        guard f > 0 else { return nil }
        var s = f
        if c.country == m.country { s += w.sameCountry }
        if !Set(c.languages).isDisjoint(with: m.languages) { s += w.sharedLanguage }
        let bands = SizeBand.allCases
        let d = abs(bands.firstIndex(of: c.band!)! - bands.firstIndex(of: m.band!)!)
        s += d == 0 ? w.sameSize : d == 1 ? w.similarSize : 0
        if c.nationalFramework != nil && c.nationalFramework == m.nationalFramework { s += w.sameNationalFramework }
        return s + w.freePlace * Double(min(c.freeCapacity, 3))
    }

    @Test func rankingEqualsTheNaiveScoreOrder() {
        var rng = SplitMix64(seed: 5)
        let (pool, profiles) = Self.pool(&rng, count: 3_000)
        let got = pool.suggestions(for: Self.mentee, limit: 25)
        var scored: [(Int, Double)] = []
        for p in profiles { if let s = Self.naiveScore(Self.mentee, p) { scored.append((p.organisationID, s)) } }
        scored.sort { a, b in a.1 > b.1 || (a.1 == b.1 && a.0 < b.0) }
        let want = scored.prefix(25)
        #expect(got.map(\.organisationID) == want.map(\.0))
        for (g, w) in zip(got, want) { #expect(abs(g.score - w.1) < 1e-9) }
    }

    @Test func reasonsNameRealFactors() throws {
        var rng = SplitMix64(seed: 11)
        let (pool, profiles) = Self.pool(&rng, count: 2_000)
        let byID = Dictionary(uniqueKeysWithValues: profiles.map { ($0.organisationID, $0) })
        let mentee = Self.mentee
        let suggestions = pool.suggestions(for: mentee, limit: 50)
        #expect(suggestions.count == 50)
        for s in suggestions {
            let c = try #require(byID[s.organisationID])
            #expect(c.freeCapacity > 0)
            #expect(s.reasons.contains { if case .strengthOnGap = $0 { true } else if case .further = $0 { true } else { false } })
            for r in s.reasons {
                switch r {
                case .strengthOnGap(let k, let mine, let theirs):
                    #expect(Self.factors.contains(k))
                    #expect(c.levels[k] == mine && mentee.levels[k] == theirs)
                    #expect(mine >= 4 && theirs < 3)
                case .further(let k, let mine, let theirs):
                    #expect(c.levels[k] == mine && mentee.levels[k] == theirs && mine > theirs)
                case .sameCountry(let country): #expect(c.country == country && mentee.country == country)
                case .sharedLanguage(let l): #expect(c.languages.contains(l) && mentee.languages.contains(l))
                case .sameSize(let b): #expect(c.band == b && mentee.band == b)
                case .similarSize(let b, let mb): #expect(c.band == b && mentee.band == mb)
                case .sameNationalFramework(let f): #expect(c.nationalFramework == f && mentee.nationalFramework == f)
                case .freePlaces(let n): #expect(n == c.freeCapacity)
                default: Issue.record("a city suggestion gave a person-to-person reason: \(r)")
                }
            }
        }
        let first = try #require(suggestions.first)
        let text = first.reasons.map { $0.text("en") }
        #expect(text.contains { $0.hasPrefix("strong on ") && $0.contains(", where the mentee has a gap (") })
        #expect(MatchReason.strengthOnGap(keyFactor: "empower", mentor: 4, mentee: 1).text("en", keyFactorTitle: { $0.capitalized })
                == "strong on Empower, where the mentee has a gap (4 vs 1)")
        #expect(MatchReason.sharedLanguage("nl").text("en") == "shares Dutch")
        #expect(MatchReason.freePlaces(2).text("en") == "2 places free")
        #expect(MatchReason.freePlaces(1).text("nl") == "nog 1 plaats vrij")
    }

    @Test func fullMentorsAndTheMenteeItselfAreLeftOut() {
        let a = CityProfile(organisationID: 1, name: "A", country: "BE", languages: ["nl"], population: 80_000, levels: ["know": 5], freeCapacity: 0)
        let b = CityProfile(organisationID: 2, name: "B", country: "IT", languages: ["it"], population: 5_000, levels: ["know": 4], freeCapacity: 2)
        var pool = CityCandidatePool(keyFactors: Self.factors, scale: 1...5, candidates: [a, b, Self.mentee])
        #expect(pool.suggestions(for: Self.mentee).map(\.organisationID) == [2])
        pool.setFreeCapacity(organisationID: 1, 1)
        #expect(pool.suggestions(for: Self.mentee).map(\.organisationID) == [1, 2])
        let weaker = CityProfile(organisationID: 0, name: "Demo", country: "BE", languages: ["nl"], population: 40_000, levels: ["know": 5], freeCapacity: 0)
        #expect(pool.suggestions(for: weaker).isEmpty)   // nobody is further than 5 on "know"
    }

    @Test func aCityRoundAssignsWithinFreePlaces() {
        var rng = SplitMix64(seed: 3)
        let (pool, profiles) = Self.pool(&rng, count: 12)
        let mentees = (0..<5).map { i in
            CityProfile(organisationID: 1000 + i, name: "M\(i)", country: "BE", languages: ["nl"], population: 10_000,
                        levels: Dictionary(uniqueKeysWithValues: Self.factors.map { ($0, Int.random(in: 1...3, using: &rng)) }))
        }
        let (costs, caps) = pool.roundCosts(mentees: mentees)
        #expect(caps == profiles.map(\.freeCapacity))
        let a = MentoringRound.assign(costs: costs, mentees: mentees.count, capacities: caps)
        for (j, n) in a.load.enumerated() { #expect(n <= caps[j]) }
        let optimum = MentoringAssignmentTests.bruteForce(costs, mentees: mentees.count, capacities: caps, penalty: a.unassignedCost)
        #expect(abs(a.objective - optimum) < 1e-6)
    }
}

@Suite struct PersonMatchingTests {
    static let duo = try! ProgrammeRulesTests.shipped("duo-for-a-job.v1")
    static let mentorFacts: [String: FactValue] = ["age": 62, "professionalExperience": true, "hoursPerWeek": 2, "months": 6]

    static let mentee = PersonProfile(id: 1, facts: ["age": 24, "originOutsideEU": true, "workPermit": true], sector: "logistics",
                                      languages: ["ar", "fr"], municipality: "Mechelen", latitude: 51.0259, longitude: 4.4776, hoursPerWeek: 2)

    @Test func suggestionsRankBySectorLanguagePlaceAndAvailability() throws {
        let mentors = [
            PersonProfile(id: 10, facts: Self.mentorFacts, sector: "logistics", experienceYears: 30, languages: ["nl", "fr"],
                          municipality: "Mechelen", latitude: 51.03, longitude: 4.48, hoursPerWeek: 2, freeCapacity: 1),
            PersonProfile(id: 11, facts: Self.mentorFacts, sector: "care", experienceYears: 35, languages: ["nl"],
                          municipality: "Antwerpen", latitude: 51.2194, longitude: 4.4025, hoursPerWeek: 3, freeCapacity: 1),
            PersonProfile(id: 12, facts: Self.mentorFacts, sector: "logistics", experienceYears: 20, languages: ["nl"],
                          municipality: "Bonheiden", latitude: 51.0226, longitude: 4.5431, hoursPerWeek: 2, freeCapacity: 0),   // full
            PersonProfile(id: 13, facts: ["age": 45, "professionalExperience": true, "hoursPerWeek": 2, "months": 6],
                          sector: "logistics", experienceYears: 20, languages: ["ar"], freeCapacity: 1),                         // too young
        ]
        let s = try PersonMatcher.suggestions(for: Self.mentee, among: mentors, rules: Self.duo).get()
        #expect(s.map(\.mentorID) == [10, 11])
        #expect(s[0].reasons == [.sameSector("logistics"), .experience(years: 30), .sharedLanguage("fr"), .sameMunicipality("Mechelen"),
                                 .available(hoursPerWeek: 2)])
        let antwerp = try #require(s[1].reasons.first { $0.factor == "place" })
        if case .nearby(let km) = antwerp { #expect(km > 20 && km < 25) } else { Issue.record("expected a distance, got \(antwerp)") }
        #expect(s[1].reasons.map { $0.text("en") }.contains("35 years of professional experience"))
    }

    @Test func anIneligibleMenteeIsRefusedWithTheRule() {
        var m = Self.mentee
        m.facts["age"] = 41
        switch PersonMatcher.suggestions(for: m, among: [], rules: Self.duo) {
        case .success: Issue.record("an ineligible mentee got suggestions")
        case .failure(let e):
            guard case .ineligible(let role, let failures) = e else { Issue.record("\(e)"); return }
            #expect(role == .mentee)
            #expect(failures.map(\.rule.id) == ["mentee-age"])
            #expect(e.description == "the mentee does not meet the programme's rules: mentee-age: Mentees are between 18 and 33 years old. (given: 41)")
        }
    }

    @Test func randomPersonRoundsNeverPairAnIneligiblePerson() {
        var rng = SplitMix64(seed: 42)
        let sectors = ["care", "logistics", "ict", "retail"]
        for _ in 0..<100 {
            let mentees = (0..<Int.random(in: 1...6, using: &rng)).map { i in
                PersonProfile(id: i, facts: ["age": .number(Double(Int.random(in: 15...40, using: &rng))), "originOutsideEU": .boolean(rng.nextUnit() < 0.8),
                                             "workPermit": .boolean(rng.nextUnit() < 0.8)],
                              sector: sectors.randomElement(using: &rng), languages: ["fr"], municipality: "Mechelen")
            }
            let mentors = (0..<Int.random(in: 1...4, using: &rng)).map { j in
                PersonProfile(id: 100 + j, facts: ["age": .number(Double(Int.random(in: 40...75, using: &rng))), "professionalExperience": true,
                                                   "hoursPerWeek": .number(Double(Int.random(in: 1...4, using: &rng))), "months": 6],
                              sector: sectors.randomElement(using: &rng), experienceYears: Int.random(in: 0...40, using: &rng),
                              languages: rng.nextUnit() < 0.5 ? ["fr"] : ["nl"], municipality: "Mechelen", freeCapacity: Int.random(in: 0...3, using: &rng))
            }
            let (costs, caps) = PersonMatcher.roundCosts(mentees: mentees, mentors: mentors, rules: Self.duo)
            #expect(caps.allSatisfy { $0 <= Self.duo.capacity.maximum })
            let a = MentoringRound.assign(costs: costs, mentees: mentees.count, capacities: caps)
            for (i, m) in a.mentorOf.enumerated() {
                guard let m else { continue }
                #expect(Eligibility.check(mentees[i].facts, Self.duo.menteeRules).isEmpty)
                #expect(Eligibility.check(mentors[m].facts, Self.duo.mentorRules).isEmpty)
                #expect(a.load[m] <= mentors[m].freeCapacity)
            }
            let optimum = MentoringAssignmentTests.bruteForce(costs, mentees: mentees.count, capacities: caps, penalty: a.unassignedCost)
            #expect(abs(a.objective - optimum) <= 1e-9 * max(1, optimum))
        }
    }

    @Test func splitMixIsRepeatable() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        var c = SplitMix64(seed: 0)
        #expect(c.next() == 0xE220_A839_7B1D_CDAF)   // the reference sequence for seed 0
    }
}
