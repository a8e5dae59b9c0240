import Foundation
import Testing
@testable import LivingTogetherCore

/// Who may do what in mentoring, facts read from forms, logbook entries and programme figures.
@Suite struct MentoringFollowThroughTests {
    let duo = try! ProgrammeRulesTests.shipped("duo-for-a-job.v1")

    @Test func staffRunTheirProgrammeOnlyAndAMentorSeesOnlyTheirOwnDuo() {
        let p = MentoringPermissions.Programme(kind: .personToPerson, organiser: 1, staff: [10], open: true)
        let pair = MentoringPermissions.Pair(mentorUser: 20)
        let staff = Actor(userID: 10), mentor = Actor(userID: 20), organiserAdmin = Actor(userID: 30, roles: [1: .admin], kinds: [1: .partner])
        #expect(MentoringPermissions.allows(staff, .manageProgramme(p)))
        #expect(!MentoringPermissions.allows(organiserAdmin, .manageProgramme(p)))     // an admin of the organiser is not staff by that alone
        #expect(!MentoringPermissions.allows(organiserAdmin, .viewProgramme(p)))
        #expect(MentoringPermissions.allows(mentor, .viewTrajectory(p, pair)))
        #expect(!MentoringPermissions.allows(mentor, .viewTrajectory(p, MentoringPermissions.Pair(mentorUser: 21))))
        #expect(!MentoringPermissions.allows(mentor, .manageProgramme(p)))
        #expect(MentoringPermissions.allows(mentor, .evaluate(p, pair, side: .mentor)))
        #expect(!MentoringPermissions.allows(mentor, .evaluate(p, pair, side: .mentee)))
        #expect(!MentoringPermissions.allows(.anonymous, .viewProgramme(p)))
        #expect(MentoringPermissions.allows(.anonymous, .viewProgramme(.init(kind: .cityToCity, organiser: 1, staff: [], open: false))))
    }

    @Test func cityProgrammesAreOrganisedByCoordinatorsAndJoinedByMunicipalitiesThemselves() {
        let editorOfCity = Actor(userID: 1, roles: [5: .editor], kinds: [5: .municipality])
        let coordinator = Actor(userID: 2, roles: [7: .editor], kinds: [7: .association])
        #expect(!MentoringPermissions.allows(editorOfCity, .createProgramme(kind: .cityToCity, organiser: 5)))
        #expect(MentoringPermissions.allows(editorOfCity, .createProgramme(kind: .personToPerson, organiser: 5)))
        #expect(MentoringPermissions.allows(coordinator, .createProgramme(kind: .cityToCity, organiser: 7)))
        let open = MentoringPermissions.Programme(kind: .cityToCity, organiser: 7, staff: [2], open: true)
        #expect(MentoringPermissions.allows(editorOfCity, .enrolOrganisation(open, organisation: 5)))
        #expect(!MentoringPermissions.allows(editorOfCity, .enrolOrganisation(open, organisation: 6)))
        #expect(MentoringPermissions.allows(editorOfCity, .viewParticipant(open, organisation: 5)))
        #expect(!MentoringPermissions.allows(editorOfCity, .viewParticipant(open, organisation: 6)))
        #expect(!MentoringPermissions.allows(editorOfCity, .viewParticipant(.init(kind: .personToPerson, organiser: 5, staff: [], open: true), organisation: 5)))
        var closed = open; closed.open = false
        #expect(!MentoringPermissions.allows(editorOfCity, .enrolOrganisation(closed, organisation: 5)))
    }

    @Test func anAgeIsAWholeNumberAndExtremeNumbersAreRefused() throws {
        func ageError(_ typed: String) -> String? {
            guard case .failure(let e) = FactInput.read(["age": typed], rules: duo, role: .mentee, language: "en") else { return nil }
            return e["fact_age"]?.key
        }
        #expect(ageError("27.5") == "error.fact.whole")
        #expect(ageError("27,5") == "error.fact.whole")
        for typed in ["1e308", "999999999999999999999", "nan", "inf", "-Infinity", "0x1B", "-1", "27 years"] {
            #expect(ageError(typed) == "error.fact.number", "\(typed)")
        }
        #expect(ageError("-0") == nil || ageError("-0") == "error.fact.missing", "-0 reads as 0")
        #expect(duo.facts(for: .mentee).map(\.id) == ["age", "originOutsideEU", "workPermit"])
    }

    @Test func anOutcomeIsChosenAtTheEvaluationOrConfirmedWithAReason() {
        let last = duo.stages.last?.id ?? ""
        #expect(OutcomeRules.check(outcome: "", stage: last, rules: duo, confirmEarly: false, reason: "", language: "en")["outcome"]?.key
                == "error.outcome.missing", "no outcome is chosen for the staff")
        #expect(OutcomeRules.check(outcome: "none", stage: last, rules: duo, confirmEarly: false, reason: "", language: "en").isEmpty)
        let early = OutcomeRules.check(outcome: "none", stage: "guide", rules: duo, confirmEarly: false, reason: " ", language: "en")
        #expect(early.fields == ["confirm_early", "early_reason"])
        #expect(early["confirm_early"]?.arguments == ["Evaluate"])
        #expect(OutcomeRules.check(outcome: "none", stage: "guide", rules: duo, confirmEarly: true, reason: "Moved away",
                                   language: "en").isEmpty)
        #expect(OutcomeRules.check(outcome: "ghost", stage: last, rules: duo, confirmEarly: false, reason: "", language: "en")["outcome"]?.key
                == "error.choice.unknown")
    }

    @Test func factsAreReadByTypeAndEveryMissingOneIsNamed() throws {
        let all = ["age": "27", "originOutsideEU": "ja", "workPermit": "no", "professionalExperience": "yes",
                   "hoursPerWeek": "2,5", "months": "6"]
        let facts = try FactInput.read(all, rules: duo, role: .mentee, language: "en").get()
        #expect(facts == ["age": .number(27), "originOutsideEU": .boolean(true), "workPermit": .boolean(false)],
                "a mentee's record keeps only the facts of the mentee rules, whatever else is sent")
        let mentor = try FactInput.read(all, rules: duo, role: .mentor, language: "en").get()
        #expect(Set(mentor.keys) == ["age", "professionalExperience", "hoursPerWeek", "months"])
        #expect(mentor["hoursPerWeek"] == .number(2.5))
        guard case .failure(let e) = FactInput.read(["age": "twenty", "workPermit": "maybe"], rules: duo, role: .mentee,
                                                    language: "en") else { Issue.record("accepted"); return }
        #expect(e["fact_age"]?.key == "error.fact.number")
        #expect(e["fact_workPermit"]?.key == "error.fact.boolean")
        #expect(e["fact_originOutsideEU"]?.key == "error.fact.missing")
        #expect(e["fact_months"] == nil, "a mentor's commitment is not asked of a mentee")
        let failures = Eligibility.check(facts, role: .mentee, in: duo)
        #expect(FactInput.errors(failures, language: "en")["fact_workPermit"]?.arguments.last == "mentee-work-permit")
    }

    @Test func aLogbookEntryHasHappenedSinceTheEarliestDay() {
        let today = Day(2026, 12, 2)
        #expect((try? LogbookRules.check(day: "2026-12-02", kind: "work-visit", note: "Visit", earliest: Day(2026, 1, 1), today: today).get()) != nil)
        guard case .failure(let e) = LogbookRules.check(day: "2026-12-03", kind: "visit", note: " ", earliest: nil, today: today) else {
            Issue.record("accepted"); return
        }
        #expect(e["day"]?.key == "error.day.future" && e["kind"] != nil && e["note"] != nil)
        guard case .failure(let before) = LogbookRules.check(day: "2025-12-31", kind: "contact", note: "x", earliest: Day(2026, 1, 1),
                                                             today: today) else { Issue.record("accepted"); return }
        #expect(before["day"]?.key == "error.pair.beforeProgramme" && before["day"]?.arguments == ["2026-01-01"])
    }

    /// Visits and agreements made between the programme's start and the round's confirmation belong to the pair.
    @Test func theEarliestDayIsTheProgrammesStart() {
        #expect(PairDates.earliest(programmeStart: Day(2026, 1, 15), pairStarted: Day(2026, 3, 1)) == Day(2026, 1, 15))
        #expect(PairDates.earliest(programmeStart: Day(2026, 5, 1), pairStarted: Day(2026, 3, 1)) == Day(2026, 3, 1))
        #expect(PairDates.earliest(programmeStart: nil, pairStarted: Day(2026, 3, 1)) == Day(2026, 3, 1))
        var e = FieldErrors()
        #expect(PairDates.read("2026-02-01", field: "signed_on", earliest: Day(2026, 1, 15), today: Day(2026, 12, 2), into: &e)
                == Day(2026, 2, 1))
        #expect(PairDates.read("", field: "signed_on", earliest: nil, today: Day(2026, 12, 2), into: &e) == nil)
        #expect(e["signed_on"] != nil)
    }

    @Test func figuresCountPairsAndShareOutcomesOfTheEndedOnes() {
        let f = ProgrammeFigures(pairs: [("guide", nil), ("match", nil), ("evaluate", "stable-job-3-months"), ("evaluate", "other-positive"), ("evaluate", "none")], rules: duo)
        #expect(f.matched == 5 && f.active == 2 && f.ended == 3)
        #expect(f.outcomes.map(\.count) == [1, 1, 1])
        #expect(f.outcomes.map(\.percent) == [33.3, 33.3, 33.3])
        #expect(f.positivePercent == 66.7)
        #expect(f.byStage.map(\.count) == [0, 0, 1, 1, 0])
        #expect(ProgrammeFigures(pairs: [], rules: duo).positivePercent == nil)
    }
}
