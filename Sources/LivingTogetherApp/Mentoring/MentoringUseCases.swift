import Fluent
import Foundation
import LivingTogetherCore
import Vapor

/// Every write of the mentoring module, and the reads that several pages and the API share. Writes check their
/// input completely before they store anything, and store in one transaction.
enum MentoringUseCases {
    // MARK: programmes

    static func rules(of p: MentoringProgramme) throws -> ProgrammeRules {
        try JSONDecoder().decode(ProgrammeRules.self, from: Data(p.rules.utf8))
    }

    /// The shipped rules, read and validated once per process (they are part of the build).
    static let shippedRules: [ProgrammeRules] = (try? ShippedProgrammeRules.load().get()) ?? []

    /// The benchmark framework a programme matches on, when it has a theme.
    static func framework(of p: MentoringProgramme, benchmarks: BenchmarkStore, on db: any Database) async throws -> Framework? {
        guard let theme = p.theme else { return nil }
        return try await benchmarks.latest(key: theme, on: db)?.framework
    }

    /// The programmes `actor` may see, newest first: one query for the programmes and one for the actor's own places
    /// as staff (a person-to-person programme shows only to its staff).
    static func visibleProgrammes(_ actor: Actor, on db: any Database) async throws -> [MentoringProgramme] {
        let all = try await MentoringProgramme.query(on: db).sort(\.$startsOn, .descending).sort(\.$id, .descending).all()
        var staffOf: Set<Int> = []
        if let user = actor.userID { staffOf = Set(try await MentoringStaff.query(on: db).filter(\.$user.$id == user).all().map { $0.$programme.id }) }
        return all.filter { p in
            let perms = MentoringPermissions.Programme(kind: p.programmeKind, organiser: p.$organiser.id,
                                                       staff: staffOf.contains(p.id!) ? [actor.userID!] : [], open: p.isOpen)
            return MentoringPermissions.allows(actor, .viewProgramme(perms))
        }
    }

    static func staffIDs(of p: MentoringProgramme, on db: any Database) async throws -> Set<Int> {
        Set(try await MentoringStaff.query(on: db).filter(\.$programme.$id == p.requireID()).all().map { $0.$user.id })
    }

    static func permissions(_ p: MentoringProgramme, on db: any Database) async throws -> MentoringPermissions.Programme {
        MentoringPermissions.Programme(kind: p.programmeKind, organiser: p.$organiser.id, staff: try await staffIDs(of: p, on: db), open: p.isOpen)
    }

    struct ProgrammeInput: Sendable {
        var title = "", rules = "", organiser = "", theme = "", catalogueAction = "", description = "", startsOn = ""
    }

    static func createProgramme(_ input: ProgrammeInput, actor: Actor, by user: Int, frameworks: [String], catalogueActions: [String],
                                on db: any Database) async throws -> Result<MentoringProgramme, FieldErrors> {
        var e = FieldErrors()
        let title = input.title.trimmingWhitespace()
        if title.isEmpty { e.add("title", "error.programme.titleMissing") }
        if title.count > 200 { e.add("title", "error.text.long", ["200"]) }
        let rules = shippedRules.first { "\($0.id).v\($0.version)" == input.rules }
        if rules == nil { e.add("rules", "error.choice.unknown") }
        let organiser = Int(input.organiser)
        if let rules {
            if !(organiser.map { MentoringPermissions.allows(actor, .createProgramme(kind: rules.kind, organiser: $0)) } ?? false) {
                e.add("organiser", rules.kind == .cityToCity ? "error.programme.organiserCity" : "error.programme.organiser")
            }
        }
        let theme = input.theme.trimmingWhitespace()
        if !theme.isEmpty && !frameworks.contains(theme) { e.add("theme", "error.choice.unknown") }
        if rules?.kind == .cityToCity && theme.isEmpty { e.add("theme", "error.programme.themeMissing") }
        let start = Day(input.startsOn.trimmingWhitespace())
        if start == nil { e.addUnreadableDate("starts_on", input.startsOn) }
        let action = input.catalogueAction.trimmingWhitespace()
        if !action.isEmpty && !catalogueActions.contains(action) { e.add("catalogue_action", "error.catalogueAction.unknown", [action]) }
        let description = input.description.trimmingWhitespace()
        if description.count > 10_000 { e.add("description", "error.text.long", ["10000"]) }
        guard e.isEmpty, let rules, let organiser, let start else { return .failure(e) }
        let p = MentoringProgramme()
        p.title = title; p.kind = rules.kind.rawValue; p.rulesKey = rules.id; p.rulesVersion = rules.version
        p.rules = try ContentJSON.encode(rules)
        p.$organiser.id = organiser
        p.theme = theme.isEmpty ? nil : theme
        p.catalogueActionID = action.isEmpty ? nil : action
        p.summary = description; p.status = "open"; p.startsOn = start.description
        try await db.transaction { tx in
            try await p.create(on: tx)
            let s = MentoringStaff(); s.$programme.id = try p.requireID(); s.$user.id = user
            try await s.create(on: tx)
        }
        return .success(p)
    }

    static func addStaff(_ p: MentoringProgramme, email: String, on db: any Database) async throws -> Result<User, FieldErrors> {
        let normalised = AccountRules.normalisedEmail(email)
        guard let user = try await User.query(on: db).filter(\.$email == normalised).first() else {
            var e = FieldErrors(); e.add("email", "error.staff.unknown", [email]); return .failure(e)
        }
        if try await MentoringStaff.query(on: db).filter(\.$programme.$id == p.requireID()).filter(\.$user.$id == user.requireID()).first() == nil {
            let s = MentoringStaff(); s.$programme.id = try p.requireID(); s.$user.id = try user.requireID()
            try await s.create(on: db)
        }
        return .success(user)
    }

    static func setOpen(_ p: MentoringProgramme, _ open: Bool, on db: any Database) async throws {
        p.status = open ? "open" : "closed"
        p.endsOn = open ? nil : Day.today.description
        try await p.save(on: db)
    }

    // MARK: participants

    /// What a form or an API body gives to enrol someone.
    struct ParticipantInput: Sendable {
        var role = ""
        /// City-to-city: the municipality's id.
        var organisation = ""
        /// Person-to-person: how the person is addressed, and (optionally) how to reach them.
        var name = "", email = "", account = ""
        var facts: [String: String] = [:]
        var sector = "", experienceYears = "", languages = "", place = "", hoursPerWeek = "", capacity = ""
    }

    static func enrol(_ p: MentoringProgramme, rules: ProgrammeRules, _ input: ParticipantInput, actor: Actor, by user: Int?,
                      language: String, on db: any Database) async throws -> Result<MentoringParticipant, FieldErrors> {
        var e = FieldErrors()
        let role = MentoringRole(rawValue: input.role)
        if role == nil { e.add("role", "error.choice.unknown") }
        var organisation: Organisation? = nil
        var linkedUser: User? = nil
        let pid = try p.requireID()
        if rules.kind == .cityToCity {
            if let id = Int(input.organisation), let o = try await Organisation.find(id, on: db), o.organisationKind == .municipality {
                organisation = o
                let perms = try await permissions(p, on: db)
                if !MentoringPermissions.allows(actor, .enrolOrganisation(perms, organisation: id)) { e.add("organisation", "error.enrol.notYours") }
                else if let role, try await MentoringParticipant.query(on: db).filter(\.$programme.$id == pid)
                            .filter(\.$organisation.$id == id).filter(\.$role == role.rawValue).first() != nil {
                    e.add("organisation", "error.enrol.already", [o.name])
                }
            } else { e.add("organisation", "error.enrol.municipality") }
        } else {
            let name = input.name.trimmingWhitespace()
            if name.isEmpty { e.add("name", "error.enrol.nameMissing") }
            if name.count > 120 { e.add("name", "error.text.long", ["120"]) }
            let email = AccountRules.normalisedEmail(input.email)
            if !email.isEmpty && !AccountRules.isValidEmail(email) { e.add("email", "error.email.invalid") }
            let account = AccountRules.normalisedEmail(input.account)
            if !account.isEmpty {
                linkedUser = try await User.query(on: db).filter(\.$email == account).first()
                if linkedUser == nil { e.add("account", "error.staff.unknown", [input.account]) }
            }
        }
        var facts: [String: FactValue] = [:]
        if let role {
            switch FactInput.read(input.facts, rules: rules, role: role, language: language) {
            case .failure(let fe): e.add(fe)
            case .success(let v): facts = v
            }
        }
        // What matching compares: a mentor's experience, hours and capacity are asked of mentors only.
        let isMentor = role == .mentor
        let experience = isMentor ? input.experienceYears.trimmingWhitespace() : ""
        let experienceYears = Numbers.readWhole(experience)
        if !experience.isEmpty && (experienceYears.map { $0 < 0 || $0 > 80 } ?? true) {
            e.add("experience_years", "error.enrol.years")
        }
        let hoursText = isMentor ? input.hoursPerWeek.trimmingWhitespace().replacingOccurrences(of: ",", with: ".") : ""
        let hours = Numbers.read(hoursText)
        if !hoursText.isEmpty && (hours.map { !($0 >= 0 && $0 <= 80) } ?? true) { e.add("hours_per_week", "error.enrol.hours") }
        var capacity = rules.capacity.default
        let cap = input.capacity.trimmingWhitespace()
        if role == .mentor && !cap.isEmpty {
            if let c = Numbers.readWhole(cap), c >= 1, c <= max(1, rules.capacity.maximum) { capacity = c }
            else { e.add("capacity", rules.capacity.maximum == 1 ? "error.enrol.capacity.one" : "error.enrol.capacity", [String(rules.capacity.maximum)]) }
        }
        for (field, value, limit) in [("sector", input.sector, 120), ("place", input.place, 120)]
        where value.trimmingWhitespace().count > limit {
            e.add(field, "error.text.long", [String(limit)])
        }
        let languages = input.languages.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { $0.lowercased() }
        if languages.contains(where: { $0.count != 2 || !$0.allSatisfy(\.isLetter) }) { e.add("languages", "error.enrol.languages") }
        // A municipality that says it submitted its assessment of the theme must have one on record.
        if let o = organisation, let theme = p.theme, facts["benchmarkSubmitted"] == .boolean(true),
           try await Assessment.query(on: db).filter(\.$organisation.$id == o.requireID()).filter(\.$frameworkKey == theme)
               .filter(\.$status == Assessment.submitted).first() == nil {
            e.add("fact_benchmarkSubmitted", "error.enrol.noAssessment", [o.name, theme])
        }
        // The rules, only once the facts could be read: a refusal names every rule not met.
        if e.isEmpty, let role {
            let failures = Eligibility.check(facts, role: role, in: rules)
            if !failures.isEmpty { return .failure(FactInput.errors(failures, language: language)) }
        }
        guard e.isEmpty, let role else { return .failure(e) }
        let m = MentoringParticipant()
        m.$programme.id = pid
        m.role = role.rawValue
        m.$organisation.id = organisation?.id
        m.displayName = organisation?.name ?? input.name.trimmingWhitespace()
        m.email = rules.kind == .personToPerson && !input.email.trimmingWhitespace().isEmpty ? AccountRules.normalisedEmail(input.email) : nil
        m.$user.id = linkedUser?.id
        m.facts = try ContentJSON.encode(facts)
        m.sector = input.sector.trimmingWhitespace().isEmpty ? nil : input.sector.trimmingWhitespace()
        m.experienceYears = experienceYears
        m.languages = languages.joined(separator: ",")
        m.place = input.place.trimmingWhitespace().isEmpty ? nil : input.place.trimmingWhitespace()
        m.hoursPerWeek = hours
        m.capacity = role == .mentor ? capacity : 0
        m.$createdBy.id = user
        try await m.create(on: db)
        return .success(m)
    }

    static func participants(of p: MentoringProgramme, on db: any Database) async throws -> [MentoringParticipant] {
        try await MentoringParticipant.query(on: db).filter(\.$programme.$id == p.requireID()).sort(\.$id).all()
    }

    static func pairs(of p: MentoringProgramme, on db: any Database) async throws -> [MentoringPair] {
        try await MentoringPair.query(on: db).filter(\.$programme.$id == p.requireID()).sort(\.$id).all()
    }

    /// Places a mentor still has: its capacity less its active pairs.
    static func freePlaces(_ mentors: [MentoringParticipant], pairs: [MentoringPair]) -> [Int: Int] {
        var active: [Int: Int] = [:]
        for pair in pairs where !pair.isEnded { active[pair.$mentor.id, default: 0] += 1 }
        return Dictionary(lastOf: mentors.compactMap { m in m.id.map { ($0, max(0, m.capacity - active[$0, default: 0])) } })
    }

    // MARK: matching

    /// The key factors and scale of a programme's theme, and each municipality's levels on it (its latest submitted
    /// assessment of the theme).
    static func cityProfiles(_ participants: [MentoringParticipant], theme: String, free: [Int: Int], benchmarks: BenchmarkStore,
                             on db: any Database) async throws -> (keyFactors: [String], scale: ClosedRange<Int>, profiles: [Int: CityProfile]) {
        guard let (_, framework) = try await benchmarks.latest(key: theme, on: db) else { return ([], 1...4, [:]) }
        let orgIDs = participants.compactMap { $0.$organisation.id }
        let orgs = Dictionary(lastOf: try await Organisation.query(on: db).filter(\.$id ~~ orgIDs).all().map { ($0.id!, $0) })
        let countries = Dictionary(lastOf: try await Country.query(on: db).filter(\.$id ~~ Array(Set(orgs.values.map(\.country)))).all().map { ($0.id!, $0.languages) })
        var latest: [Int: Assessment] = [:]
        for a in try await Assessment.query(on: db).filter(\.$organisation.$id ~~ orgIDs).filter(\.$frameworkKey == theme)
            .filter(\.$status == Assessment.submitted).all() where (latest[a.$organisation.id]?.year ?? Int.min) < a.year {
            latest[a.$organisation.id] = a
        }
        var profiles: [Int: CityProfile] = [:]
        for m in participants {
            guard let oid = m.$organisation.id, let o = orgs[oid], let id = m.id else { continue }
            let levels = (latest[oid].flatMap { try? $0.decodedContent() }?.ratings ?? [:]).compactMapValues(\.level)
            let languages = (o.languages ?? countries[o.country] ?? "").split(separator: ",").map { String($0.prefix(2)).lowercased() }
            profiles[id] = CityProfile(organisationID: id, name: o.name, country: o.country, languages: languages, population: o.population,
                                       nationalFramework: o.country == "BE" ? "BE-\(o.region ?? "")" : o.country,
                                       levels: levels, freeCapacity: free[id] ?? 0)
        }
        return (framework.keyFactors.map(\.id), framework.scale.values, profiles)
    }

    static func personProfile(_ m: MentoringParticipant, free: Int) -> PersonProfile {
        PersonProfile(id: m.id ?? 0, facts: m.factValues, sector: m.sector?.lowercased(), experienceYears: m.experienceYears,
                      languages: m.languageList, municipality: m.place, hoursPerWeek: m.hoursPerWeek, freeCapacity: free)
    }

    struct Suggestion: Sendable { var mentor: MentoringParticipant; var score: Double; var reasons: [MatchReason] }

    /// Ranked mentors for one mentee, with the reasons for each. A mentee who fails the rules gets the rules it fails.
    static func suggestions(for mentee: MentoringParticipant, in p: MentoringProgramme, rules: ProgrammeRules, limit: Int = 10,
                            benchmarks: BenchmarkStore, on db: any Database) async throws -> Result<[Suggestion], MentoringError> {
        let failures = Eligibility.check(mentee.factValues, role: .mentee, in: rules)
        if !failures.isEmpty { return .failure(.ineligible(role: .mentee, failures: failures)) }
        let all = try await participants(of: p, on: db)
        let pairs = try await pairs(of: p, on: db)
        // Not itself: a municipality enrolled on both sides is never its own mentor.
        let mentors = all.filter { $0.participantRole == .mentor && $0.erasedAt == nil && $0.id != mentee.id
                                   && ($0.$organisation.id == nil || $0.$organisation.id != mentee.$organisation.id) }
        let free = freePlaces(mentors, pairs: pairs)
        let byID = Dictionary(lastOf: mentors.map { ($0.id!, $0) })
        if rules.kind == .cityToCity {
            guard let theme = p.theme else { return .success([]) }
            let (keys, scale, profiles) = try await cityProfiles(mentors + [mentee], theme: theme, free: free, benchmarks: benchmarks, on: db)
            guard let me = profiles[mentee.id!] else { return .success([]) }
            let eligible = mentors.filter { Eligibility.check($0.factValues, role: .mentor, in: rules).isEmpty }
            let pool = CityCandidatePool(keyFactors: keys, scale: scale, candidates: eligible.compactMap { profiles[$0.id!] })
            return .success(pool.suggestions(for: me, limit: limit).compactMap { s in byID[s.organisationID].map { Suggestion(mentor: $0, score: s.score, reasons: s.reasons) } })
        }
        let people = mentors.map { personProfile($0, free: free[$0.id!] ?? 0) }
        return PersonMatcher.suggestions(for: personProfile(mentee, free: 0), among: people, rules: rules, limit: limit)
            .map { list in list.compactMap { s in byID[s.mentorID].map { Suggestion(mentor: $0, score: s.score, reasons: s.reasons) } } }
    }

    /// The mentees a round can pair (enrolled, not erased, without an active pair) and the mentors with places.
    static func roundParticipants(_ p: MentoringProgramme, on db: any Database) async throws -> (mentees: [MentoringParticipant], mentors: [MentoringParticipant], free: [Int: Int]) {
        let all = try await participants(of: p, on: db).filter { $0.erasedAt == nil }
        let pairs = try await pairs(of: p, on: db)
        let paired = Set(pairs.filter { !$0.isEnded }.map { $0.$mentee.id })
        let mentors = all.filter { $0.participantRole == .mentor }
        let free = freePlaces(mentors, pairs: pairs)
        return (all.filter { $0.participantRole == .mentee && !paired.contains($0.id!) }, mentors.filter { (free[$0.id!] ?? 0) > 0 }, free)
    }

    /// The costs of a round (mentees × mentors) and the mentors' capacities, from the programme's matching.
    static func roundCosts(_ p: MentoringProgramme, rules: ProgrammeRules, mentees: [MentoringParticipant], mentors: [MentoringParticipant],
                           free: [Int: Int], benchmarks: BenchmarkStore, on db: any Database) async throws -> (costs: [Double], capacities: [Int]) {
        if rules.kind == .cityToCity {
            guard let theme = p.theme else { return ([Double](repeating: .infinity, count: mentees.count * mentors.count), mentors.map { _ in 0 }) }
            let (keys, scale, profiles) = try await cityProfiles(mentees + mentors, theme: theme, free: free, benchmarks: benchmarks, on: db)
            let mentorOK = mentors.map { Eligibility.check($0.factValues, role: .mentor, in: rules).isEmpty }
            let menteeOK = mentees.map { Eligibility.check($0.factValues, role: .mentee, in: rules).isEmpty }
            // Every mentor is a column of the pool, in order; a municipality without a profile brings nothing (no pair).
            let profile = { (m: MentoringParticipant) in profiles[m.id!] ?? CityProfile(organisationID: m.id!, name: "", country: "", languages: [], population: nil, levels: [:]) }
            let pool = CityCandidatePool(keyFactors: keys, scale: scale, candidates: mentors.map(profile))
            var costs = pool.roundCosts(mentees: mentees.map(profile)).costs
            // Not allowed: an ineligible mentee or mentor, or one municipality on both sides.
            for i in mentees.indices {
                for j in mentors.indices where !menteeOK[i] || !mentorOK[j] || mentors[j].$organisation.id == mentees[i].$organisation.id {
                    costs[i * mentors.count + j] = .infinity
                }
            }
            return (costs, mentors.enumerated().map { j, m in mentorOK[j] ? min(free[m.id!] ?? 0, rules.capacity.maximum) : 0 })
        }
        return PersonMatcher.roundCosts(mentees: mentees.map { personProfile($0, free: 0) },
                                        mentors: mentors.map { personProfile($0, free: free[$0.id!] ?? 0) }, rules: rules)
    }

    /// Proposes the optimal assignment for the programme's open round (replacing an earlier proposal not confirmed).
    static func proposeRound(_ p: MentoringProgramme, rules: ProgrammeRules, by user: Int?, benchmarks: BenchmarkStore, on db: any Database) async throws -> Result<RoundRow, FieldErrors> {
        let (mentees, mentors, free) = try await roundParticipants(p, on: db)
        if mentees.isEmpty || mentors.isEmpty {
            var e = FieldErrors(); e.add("round", mentees.isEmpty ? "error.round.noMentees" : "error.round.noMentors"); return .failure(e)
        }
        let (costs, capacities) = try await roundCosts(p, rules: rules, mentees: mentees, mentors: mentors, free: free, benchmarks: benchmarks, on: db)
        let result = LivingTogetherCore.MentoringRound.assign(costs: costs, mentees: mentees.count, capacities: capacities)
        let round = RoundRow()
        round.$programme.id = try p.requireID(); round.status = "proposed"; round.totalCost = result.totalCost; round.$createdBy.id = user
        try await db.transaction { tx in
            try await RoundRow.query(on: tx).filter(\.$programme.$id == p.requireID()).filter(\.$status == "proposed").set(\.$status, to: "discarded").update()
            try await round.create(on: tx)
            for (i, m) in mentees.enumerated() {
                let prop = MentoringProposal()
                prop.$round.id = try round.requireID(); prop.$mentee.id = try m.requireID()
                let mentor = result.mentorOf[i].map { mentors[$0] }
                prop.$suggestedMentor.id = mentor?.id; prop.$mentor.id = mentor?.id
                prop.score = result.mentorOf[i].map { costs[i * mentors.count + $0] }
                try await prop.create(on: tx)
            }
        }
        return .success(round)
    }

    /// Checks a round as adjusted (`choice`: mentee id → mentor id or nil) against capacities and rules; stores the
    /// choices only when all hold, and with `confirm`, makes the pairs and closes the round.
    static func reviewRound(_ round: RoundRow, _ p: MentoringProgramme, rules: ProgrammeRules, choice: [Int: Int?], confirm: Bool,
                            by user: Int?, language: String, on db: any Database) async throws -> Result<[MentoringPair], FieldErrors> {
        var e = FieldErrors()
        guard round.status == "proposed" else { e.add("round", "error.round.closed"); return .failure(e) }
        let proposals = try await MentoringProposal.query(on: db).filter(\.$round.$id == round.requireID()).sort(\.$id).all()
        let all = Dictionary(lastOf: try await participants(of: p, on: db).map { ($0.id!, $0) })
        let existing = try await pairs(of: p, on: db)
        let mentorIDs = all.values.filter { $0.participantRole == .mentor && $0.erasedAt == nil }.map { $0.id! }.sorted()
        let free = freePlaces(mentorIDs.compactMap { all[$0] }, pairs: existing)
        var chosen: [Int?] = []
        for prop in proposals {
            let c = choice[prop.$mentee.id] ?? prop.$mentor.id
            if let c, all[c]?.participantRole != .mentor || all[c]?.erasedAt != nil { e.add("mentor-\(prop.$mentee.id)", "error.choice.unknown"); chosen.append(nil); continue }
            chosen.append(c.flatMap { mentorIDs.firstIndex(of: $0) })
        }
        guard e.isEmpty else { return .failure(e) }
        let capacities = mentorIDs.map { min(free[$0] ?? 0, rules.capacity.maximum) }
        let allowed: (Int, Int) -> Bool = { i, j in
            guard let mentee = all[proposals[i].$mentee.id], mentee.erasedAt == nil, let mentor = all[mentorIDs[j]] else { return false }
            return Eligibility.check(mentee.factValues, role: .mentee, in: rules).isEmpty
                && Eligibility.check(mentor.factValues, role: .mentor, in: rules).isEmpty
                && (mentee.$organisation.id == nil || mentee.$organisation.id != mentor.$organisation.id)
        }
        switch LivingTogetherCore.MentoringRound.check(chosen, capacities: capacities, allowed: allowed) {
        case .failure(.overCapacity(let j, let cap, let n)):
            let name = all[mentorIDs[j]]?.displayName ?? ""
            e.add("round", "error.round.overCapacity", [name, String(cap), String(n)])
            // Each mentee given this mentor is marked, so that the review page shows where to choose another.
            for (i, c) in chosen.enumerated() where c == j { e.add("mentor-\(proposals[i].$mentee.id)", "error.round.overCapacityHere", [name, String(cap)]) }
            return .failure(e)
        case .failure(.pairNotAllowed(let i, let j)):
            guard proposals.indices.contains(i), mentorIDs.indices.contains(j), let mentee = all[proposals[i].$mentee.id],
                  let mentor = all[mentorIDs[j]] else { e.add("round", "error.choice.unknown"); return .failure(e) }
            let failures = Eligibility.check(mentee.factValues, role: .mentee, in: rules) + Eligibility.check(mentor.factValues, role: .mentor, in: rules)
            e.add("mentor-\(proposals[i].$mentee.id)", "error.round.notAllowed", [mentee.displayName, mentor.displayName,
                  failures.map { $0.message(language) }.joined(separator: " ")])
            return .failure(e)
        case .failure(let other): e.add("round", "error.round.invalid", [other.description]); return .failure(e)
        case .success: break
        }
        let first = rules.stages.first?.id ?? ""
        let picked = chosen
        let made: [MentoringPair] = try await db.transaction { tx in
            for (i, prop) in proposals.enumerated() {
                prop.$mentor.id = picked[i].map { mentorIDs[$0] }
                try await prop.save(on: tx)
            }
            guard confirm else { return [] }
            var made: [MentoringPair] = []
            for prop in proposals {
                guard let mentor = prop.$mentor.id else { continue }
                let pair = MentoringPair()
                pair.$programme.id = try p.requireID(); pair.$round.id = try round.requireID()
                pair.$mentee.id = prop.$mentee.id; pair.$mentor.id = mentor
                pair.theme = p.theme; pair.stage = first; pair.startedOn = Day.today.description
                pair.agreementGoals = ""; pair.planLongTerm = ""; pair.planPilot = ""
                try await pair.create(on: tx)
                try await event(pair, from: nil, to: first, comment: "", user: user, on: tx)
                made.append(pair)
            }
            round.status = "confirmed"; round.confirmedAt = Date()
            try await round.save(on: tx)
            return made
        }
        return .success(made)
    }

    // MARK: trajectories

    static func event(_ pair: MentoringPair, from: String?, to: String, comment: String, user: Int?, on db: any Database) async throws {
        let ev = MentoringStageEvent()
        ev.$pair.id = try pair.requireID(); ev.fromStage = from; ev.toStage = to; ev.comment = comment; ev.$user.id = user; ev.at = Date()
        try await ev.create(on: db)
    }

    static func moveStage(_ pair: MentoringPair, to stage: String, comment: String, rules: ProgrammeRules, by user: Int?, language: String, on db: any Database) async throws -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        if pair.isEnded { e.add("stage", "error.pair.ended"); return .failure(e) }
        switch Trajectory.canMove(from: pair.stage, to: stage, stages: rules.stages) {
        case .failure(.skippedStages(_, _, let skipped)):
            e.add("stage", "error.stage.skipped", [rules.stage(pair.stage)?.title(language) ?? pair.stage, rules.stage(stage)?.title(language) ?? stage,
                                                   skipped.map { rules.stage($0)?.title(language) ?? $0 }.joined(separator: ", ")])
            return .failure(e)
        case .failure: e.add("stage", "error.choice.unknown"); return .failure(e)
        case .success(.stay): e.add("stage", "error.stage.same"); return .failure(e)
        case .success:
            try await db.transaction { tx in
                let from = pair.stage
                pair.stage = stage
                try await pair.save(on: tx)
                try await event(pair, from: from, to: stage, comment: comment.trimmingWhitespace(), user: user, on: tx)
            }
            return .success(())
        }
    }

    /// What ending a trajectory takes: the chosen outcome, its day, and before the evaluation a confirmation and a reason.
    struct Ending { var outcome = "", day = "", confirmEarly = false, reason = "" }

    static func end(_ pair: MentoringPair, _ ending: Ending, rules: ProgrammeRules, by user: Int?,
                    language: String, on db: any Database) async throws -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        let outcome = ending.outcome.trimmingWhitespace(), day = ending.day
        if pair.isEnded { e.add("outcome", "error.pair.ended") }
        e.add(OutcomeRules.check(outcome: outcome, stage: pair.stage, rules: rules, confirmEarly: ending.confirmEarly,
                                 reason: ending.reason, language: language))
        let d = PairDates.read(day, field: "ended_on", earliest: Day(pair.startedOn), beforeKey: "error.logbook.beforeStart",
                               today: Day.today, into: &e)
        guard e.isEmpty, let d else { return .failure(e) }
        let early = !OutcomeRules.atEvaluation(pair.stage, rules: rules)
        try await db.transaction { tx in
            pair.outcome = outcome; pair.endedOn = d.description
            try await pair.save(on: tx)
            if early {
                try await event(pair, from: pair.stage, to: pair.stage, comment: ending.reason.trimmingWhitespace(), user: user, on: tx)
            }
            try await event(pair, from: pair.stage, to: pair.stage, comment: "outcome:\(outcome)", user: user, on: tx)
        }
        return .success(())
    }

    static func addLog(_ pair: MentoringPair, programmeStart: Day?, day: String, kind: String, note: String, by user: Int?,
                       on db: any Database) async throws -> Result<MentoringLogEntry, FieldErrors> {
        let earliest = PairDates.earliest(programmeStart: programmeStart, pairStarted: Day(pair.startedOn))
        switch LogbookRules.check(day: day, kind: kind, note: note, earliest: earliest, today: Day.today) {
        case .failure(let e): return .failure(e)
        case .success(let (d, k, n)):
            let entry = MentoringLogEntry()
            entry.$pair.id = try pair.requireID(); entry.day = d.description; entry.kind = k; entry.note = n; entry.$user.id = user
            try await entry.create(on: db)
            return .success(entry)
        }
    }

    static func saveAgreement(_ pair: MentoringPair, programmeStart: Day?, signedOn: String, goals: String,
                              on db: any Database) async throws -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        let earliest = PairDates.earliest(programmeStart: programmeStart, pairStarted: Day(pair.startedOn))
        let d = PairDates.read(signedOn, field: "signed_on", earliest: earliest, today: Day.today, into: &e)
        let g = goals.trimmingWhitespace()
        if g.isEmpty { e.add("goals", "error.agreement.goalsMissing") }
        if g.count > 10_000 { e.add("goals", "error.text.long", ["10000"]) }
        guard e.isEmpty, let d else { return .failure(e) }
        pair.agreementSignedOn = d.description; pair.agreementGoals = g
        try await pair.save(on: db)
        return .success(())
    }

    static func savePlan(_ pair: MentoringPair, longTerm: String, pilot: String, on db: any Database) async throws -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        let l = longTerm.trimmingWhitespace(), p = pilot.trimmingWhitespace()
        if l.isEmpty && p.isEmpty { e.add("long_term", "error.plan.empty") }
        if l.count > 10_000 { e.add("long_term", "error.text.long", ["10000"]) }
        if p.count > 10_000 { e.add("pilot", "error.text.long", ["10000"]) }
        guard e.isEmpty else { return .failure(e) }
        pair.planLongTerm = l; pair.planPilot = p
        try await pair.save(on: db)
        return .success(())
    }

    static func evaluate(_ pair: MentoringPair, side: String, rating: String, text: String, by user: Int?, on db: any Database) async throws -> Result<Void, FieldErrors> {
        var e = FieldErrors()
        if MentoringRole(rawValue: side) == nil { e.add("side", "error.choice.unknown") }
        let r = Int(rating.trimmingWhitespace())
        if r == nil || !(1...5).contains(r!) { e.add("rating", "error.evaluation.rating") }
        let t = text.trimmingWhitespace()
        if t.count > 10_000 { e.add("text", "error.text.long", ["10000"]) }
        guard e.isEmpty, let r else { return .failure(e) }
        let pid = try pair.requireID()
        try await db.transaction { tx in
            try await MentoringEvaluation.query(on: tx).filter(\.$pair.$id == pid).filter(\.$side == side).delete()
            let ev = MentoringEvaluation()
            ev.$pair.id = pid; ev.side = side; ev.rating = r; ev.text = t; ev.$user.id = user; ev.at = Date()
            try await ev.create(on: tx)
        }
        return .success(())
    }

    // MARK: figures

    static func figures(_ p: MentoringProgramme, rules: ProgrammeRules, on db: any Database) async throws -> ProgrammeFigures {
        ProgrammeFigures(pairs: try await pairs(of: p, on: db).map { ($0.stage, $0.outcome) }, rules: rules)
    }

    static func figuresCSV(_ p: MentoringProgramme, rules: ProgrammeRules, figures f: ProgrammeFigures, language: String) -> String {
        var lines = [CSV.line(["programme", "figure", "value", "percent"])]
        lines.append(CSV.line([p.title, "matched", String(f.matched), ""]))
        lines.append(CSV.line([p.title, "active", String(f.active), ""]))
        lines.append(CSV.line([p.title, "ended", String(f.ended), ""]))
        for s in f.byStage { lines.append(CSV.line([p.title, "active at stage: \(rules.stage(s.stage)?.title(language) ?? s.stage)", String(s.count), ""])) }
        for o in f.outcomes { lines.append(CSV.line([p.title, "outcome: \(rules.outcome(o.outcome)?.title(language) ?? o.outcome)", String(o.count), String(o.percent)])) }
        lines.append(CSV.line([p.title, "positive outcomes", "", f.positivePercent.map { String($0) } ?? ""]))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: personal data

    struct PersonExport: Content {
        struct Trajectory: Content {
            var id: Int; var role: String; var partner: String; var stage: String; var started_on: String; var ended_on: String?; var outcome: String?
            var agreement_signed_on: String?; var agreement_goals: String; var logbook: [Entry]; var evaluations: [Evaluation]
        }
        struct Entry: Content { var day: String; var kind: String; var note: String }
        struct Evaluation: Content { var side: String; var rating: Int; var text: String }
        var programme: String; var participant_id: Int; var role: String; var name: String; var email: String?
        var facts: [String: FactValue]; var sector: String?; var experience_years: Int?; var languages: [String]; var place: String?
        var hours_per_week: Double?; var capacity: Int; var enrolled_at: Date?; var trajectories: [Trajectory]
    }

    static func export(_ m: MentoringParticipant, programme p: MentoringProgramme, on db: any Database) async throws -> PersonExport {
        let id = try m.requireID()
        let pairs = try await MentoringPair.query(on: db).group(.or) { $0.filter(\.$mentee.$id == id).filter(\.$mentor.$id == id) }.sort(\.$id).all()
        var out: [PersonExport.Trajectory] = []
        for pair in pairs {
            let other = try await MentoringParticipant.find(pair.$mentee.id == id ? pair.$mentor.id : pair.$mentee.id, on: db)
            let log = try await MentoringLogEntry.query(on: db).filter(\.$pair.$id == pair.requireID()).sort(\.$day).all()
            let evs = try await MentoringEvaluation.query(on: db).filter(\.$pair.$id == pair.requireID()).all()
            out.append(.init(id: try pair.requireID(), role: pair.$mentee.id == id ? "mentee" : "mentor", partner: other?.displayName ?? "",
                             stage: pair.stage, started_on: pair.startedOn, ended_on: pair.endedOn, outcome: pair.outcome,
                             agreement_signed_on: pair.agreementSignedOn, agreement_goals: pair.agreementGoals,
                             logbook: log.map { .init(day: $0.day, kind: $0.kind, note: $0.note) },
                             evaluations: evs.map { .init(side: $0.side, rating: $0.rating, text: $0.text) }))
        }
        return PersonExport(programme: p.title, participant_id: id, role: m.role, name: m.displayName, email: m.email, facts: m.factValues,
                            sector: m.sector, experience_years: m.experienceYears, languages: m.languageList, place: m.place,
                            hours_per_week: m.hoursPerWeek, capacity: m.capacity, enrolled_at: m.createdAt, trajectories: out)
    }

    /// Erases a person: their name, contact, account link, facts and matching data, and the free texts of their
    /// trajectories (logbook notes, agreement goals, action plan, evaluation comments), which speak of them. What
    /// the figures count stays: the participant row, its role, the pairs with their stages, dates and outcomes.
    static func erase(_ m: MentoringParticipant, on db: any Database) async throws {
        let id = try m.requireID()
        try await db.transaction { tx in
            m.displayName = "—"; m.email = nil; m.$user.id = nil; m.facts = "{}"; m.sector = nil; m.experienceYears = nil
            m.languages = ""; m.place = nil; m.hoursPerWeek = nil; m.erasedAt = Date()
            try await m.save(on: tx)
            let pairs = try await MentoringPair.query(on: tx).group(.or) { $0.filter(\.$mentee.$id == id).filter(\.$mentor.$id == id) }.all()
            let pairIDs = try pairs.map { try $0.requireID() }
            for pair in pairs { pair.agreementGoals = ""; pair.planLongTerm = ""; pair.planPilot = ""; try await pair.save(on: tx) }
            if !pairIDs.isEmpty {
                try await MentoringLogEntry.query(on: tx).filter(\.$pair.$id ~~ pairIDs).set(\.$note, to: "").update()
                try await MentoringEvaluation.query(on: tx).filter(\.$pair.$id ~~ pairIDs).set(\.$text, to: "").update()
                try await MentoringStageEvent.query(on: tx).filter(\.$pair.$id ~~ pairIDs).filter(\.$comment != "").filter(\.$comment !~ "outcome:").set(\.$comment, to: "").update()
            }
        }
    }

    // MARK: learning networks

    static func createNetwork(host: String, title: String, description: String, catalogueAction: String, catalogueActions: [String],
                              actor: Actor, on db: any Database) async throws -> Result<LearningNetwork, FieldErrors> {
        var e = FieldErrors()
        let hostID = Int(host)
        if !(hostID.map { MentoringPermissions.allows(actor, .hostNetwork(host: $0)) } ?? false) { e.add("host", "error.network.host") }
        let t = title.trimmingWhitespace()
        if t.isEmpty { e.add("title", "error.network.titleMissing") }
        if t.count > 200 { e.add("title", "error.text.long", ["200"]) }
        let a = catalogueAction.trimmingWhitespace()
        if !a.isEmpty && !catalogueActions.contains(a) { e.add("catalogue_action", "error.catalogueAction.unknown", [a]) }
        if description.count > 10_000 { e.add("description", "error.text.long", ["10000"]) }
        guard e.isEmpty, let hostID else { return .failure(e) }
        let n = LearningNetwork()
        n.$host.id = hostID; n.title = t; n.summary = description.trimmingWhitespace()
        n.catalogueActionID = a.isEmpty ? nil : a
        try await n.create(on: db)
        return .success(n)
    }

    static func addMember(_ n: LearningNetwork, organisation: String, on db: any Database) async throws -> Result<Organisation, FieldErrors> {
        var e = FieldErrors()
        guard let id = Int(organisation), let o = try await Organisation.find(id, on: db) else { e.add("organisation", "error.network.member"); return .failure(e) }
        if try await LearningNetworkMember.query(on: db).filter(\.$network.$id == n.requireID()).filter(\.$organisation.$id == id).first() == nil {
            let m = LearningNetworkMember(); m.$network.id = try n.requireID(); m.$organisation.id = id
            try await m.create(on: db)
        }
        return .success(o)
    }

    struct SessionInput: Sendable { var day = "", place = "", link = "", agenda = "", notes = "", materials = "" }

    static func addSession(_ n: LearningNetwork, _ input: SessionInput, on db: any Database) async throws -> Result<LearningSession, FieldErrors> {
        var e = FieldErrors()
        let d = Day(input.day.trimmingWhitespace())
        if d == nil { e.addUnreadableDate("day", input.day) }
        let place = input.place.trimmingWhitespace(), link = input.link.trimmingWhitespace()
        if place.isEmpty && link.isEmpty { e.add("place", "error.session.where") }
        if !link.isEmpty, !(link.hasPrefix("https://") || link.hasPrefix("http://")) || link.contains(" ") { e.add("link", "error.session.link") }
        let agenda = input.agenda.trimmingWhitespace()
        if agenda.isEmpty { e.add("agenda", "error.session.agenda") }
        for (name, v) in [("agenda", agenda), ("notes", input.notes), ("materials", input.materials)] where v.count > 10_000 { e.add(name, "error.text.long", ["10000"]) }
        if place.count > 200 { e.add("place", "error.text.long", ["200"]) }
        if link.count > 500 { e.add("link", "error.text.long", ["500"]) }
        guard e.isEmpty, let d else { return .failure(e) }
        let s = LearningSession()
        s.$network.id = try n.requireID(); s.day = d.description; s.place = place; s.link = link; s.agenda = agenda
        s.notes = input.notes.trimmingWhitespace(); s.materials = input.materials.trimmingWhitespace()
        try await s.create(on: db)
        return .success(s)
    }

    /// Records who attended a session: the host and the network's members only; replaces the earlier list.
    static func setAttendance(_ s: LearningSession, network n: LearningNetwork, organisations: [Int], on db: any Database) async throws -> Result<Void, FieldErrors> {
        let members = Set(try await LearningNetworkMember.query(on: db).filter(\.$network.$id == n.requireID()).all().map { $0.$organisation.id } + [n.$host.id])
        if let stranger = organisations.first(where: { !members.contains($0) }) {
            var e = FieldErrors(); e.add("attendance", "error.session.notMember", [String(stranger)]); return .failure(e)
        }
        if let d = Day(s.day), d > Day.today {
            var e = FieldErrors(); e.add("attendance", "error.session.future"); return .failure(e)
        }
        let sid = try s.requireID()
        try await db.transaction { tx in
            try await LearningAttendance.query(on: tx).filter(\.$session.$id == sid).delete()
            for o in Set(organisations) {
                let a = LearningAttendance(); a.$session.id = sid; a.$organisation.id = o
                try await a.create(on: tx)
            }
        }
        return .success(())
    }

    /// A network's sessions, by day, each with the organisations that attended.
    static func sessions(of n: LearningNetwork, on db: any Database) async throws -> [(session: LearningSession, present: [Int])] {
        let rows = try await LearningSession.query(on: db).filter(\.$network.$id == n.requireID()).sort(\.$day).all()
        var present: [Int: [Int]] = [:]
        let ids = rows.compactMap(\.id)
        if !ids.isEmpty {
            for a in try await LearningAttendance.query(on: db).filter(\.$session.$id ~~ ids).all() { present[a.$session.id, default: []].append(a.$organisation.id) }
        }
        return rows.map { ($0, (present[$0.id!] ?? []).sorted()) }
    }

    static let qualifyingSessions = 2

    /// Sessions held so far (dated today or earlier), per network.
    static func sessionsHeld(in networks: [LearningNetwork], on db: any Database) async throws -> [Int: Int] {
        guard !networks.isEmpty else { return [:] }
        var held: [Int: Int] = [:]
        for s in try await LearningSession.query(on: db).filter(\.$network.$id ~~ networks.compactMap(\.id)).filter(\.$day <= Day.today.description).all() {
            held[s.$network.id, default: 0] += 1
        }
        return held
    }

    /// Per catalogue action, the sessions each host has held on it, over all its networks on the action. This is the
    /// one measure of a qualified mentor: `qualifyingSessions` or more on the action.
    static func heldByAction(_ networks: [LearningNetwork], held: [Int: Int]) -> [String: [Int: Int]] {
        var out: [String: [Int: Int]] = [:]
        for n in networks { if let action = n.catalogueActionID { out[action, default: [:]][n.$host.id, default: 0] += held[n.id!] ?? 0 } }
        return out
    }

    /// The same, read from the database (only `action`'s networks when one is given).
    static func heldByAction(action: String? = nil, on db: any Database) async throws -> [String: [Int: Int]] {
        var q = LearningNetwork.query(on: db).filter(\.$catalogueActionID != nil)
        if let action { q = q.filter(\.$catalogueActionID == action) }
        let networks = try await q.all()
        return heldByAction(networks, held: try await sessionsHeld(in: networks, on: db))
    }

    static func isQualified(host: Int, action: String?, _ byAction: [String: [Int: Int]]) -> Bool {
        action.flatMap { byAction[$0]?[host] }.map { $0 >= qualifyingSessions } ?? false
    }

    /// Per catalogue action, the organisations qualified as its mentors, by name.
    static func qualifiedMentors(on db: any Database) async throws -> [String: [Organisation]] {
        let byAction = try await heldByAction(on: db)
        let ids = Set(byAction.values.flatMap { $0.filter { $0.value >= qualifyingSessions }.keys })
        guard !ids.isEmpty else { return [:] }
        let orgs = Dictionary(lastOf: try await Organisation.query(on: db).filter(\.$id ~~ Array(ids)).all().map { ($0.id!, $0) })
        return byAction.compactMapValues { byHost in
            let list = byHost.filter { $0.value >= qualifyingSessions }.keys.compactMap { orgs[$0] }.sorted { $0.name < $1.name }
            return list.isEmpty ? nil : list
        }
    }
}
