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

    @Test func factsAreReadByTypeAndEveryMissingOneIsNamed() throws {
        let read = FactInput.read(["age": "27", "originOutsideEU": "ja", "workPermit": "no", "professionalExperience": "yes", "hoursPerWeek": "2,5", "months": "6"], rules: duo, language: "en")
        let facts = try read.get()
        #expect(facts["age"] == .number(27) && facts["originOutsideEU"] == .boolean(true) && facts["hoursPerWeek"] == .number(2.5))
        guard case .failure(let e) = FactInput.read(["age": "twenty", "workPermit": "maybe"], rules: duo, language: "en") else { Issue.record("accepted"); return }
        #expect(e["fact_age"]?.key == "error.fact.number")
        #expect(e["fact_workPermit"]?.key == "error.fact.boolean")
        #expect(e["fact_months"]?.key == "error.fact.missing")
        let failures = Eligibility.check(facts, role: .mentee, in: duo)
        #expect(FactInput.errors(failures, language: "en")["fact_workPermit"]?.arguments.last == "mentee-work-permit")
    }

    @Test func aLogbookEntryHasHappenedAfterTheStart() {
        let today = Day(2026, 12, 2)
        #expect((try? LogbookRules.check(day: "2026-12-02", kind: "work-visit", note: "Visit", started: Day(2026, 1, 1), today: today).get()) != nil)
        guard case .failure(let e) = LogbookRules.check(day: "2026-12-03", kind: "visit", note: " ", started: nil, today: today) else { Issue.record("accepted"); return }
        #expect(e["day"]?.key == "error.logbook.future" && e["kind"] != nil && e["note"] != nil)
        guard case .failure(let before) = LogbookRules.check(day: "2025-12-31", kind: "contact", note: "x", started: Day(2026, 1, 1), today: today) else { Issue.record("accepted"); return }
        #expect(before["day"]?.key == "error.logbook.beforeStart")
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
