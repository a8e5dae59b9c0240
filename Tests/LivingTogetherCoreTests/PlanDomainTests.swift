import Foundation
import Testing
@testable import LivingTogetherCore

/// A small valid catalogue, as JSON, for the uptake and coordinator tests: three actions under one objective.
enum SamplePlanCatalogue {
    static func text(_ s: String) -> [String: String] { ["en": s, "nl": "NL \(s)"] }

    static func indicator(_ id: String, unit: String, direction: String = "increase", target: Double? = nil) -> [String: Any] {
        var i: [String: Any] = ["id": id, "name": text(id), "unit": text(unit), "direction": direction, "howMeasured": text("Counted")]
        if let target { i["target"] = target }
        return i
    }

    static func action(_ id: String, title: String, mentors: [String], indicators: [[String: Any]]) -> [String: Any] {
        ["id": id, "title": text(title), "description": text("About \(id)"), "targetGroups": [text("Residents")],
         "contentPartners": ["Agency"], "mentorMunicipalities": mentors, "indicators": indicators,
         "funding": ["amountPerUnit": 650, "currency": "EUR", "cap": 10, "coFinancingPercent": 50]]
    }

    static var catalogue: Catalogue {
        let doc: [String: Any] = [
            "id": "sample-plan", "version": 1, "title": text("Sample plan"), "summary": text("A plan"),
            "period": ["start": "2024-01-01", "end": "2025-12-31"], "licence": "CC BY 4.0", "sources": [["title": "A source"]],
            "objectives": [[
                "id": "together", "title": text("Together"), "description": text("Live together"),
                "actions": [
                    action("guidance", title: "Guidance to work", mentors: ["Mechelen"],
                           indicators: [indicator("guided", unit: "person", target: 10)]),
                    action("harassment-plan", title: "Plan against harassment", mentors: [],
                           indicators: [indicator("incidents", unit: "incident", direction: "decrease", target: 5)]),
                    action("buddies", title: "Buddies", mentors: [], indicators: [indicator("matched", unit: "person")]),
                ],
            ]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: doc)
        return try! CatalogueLoader.load(data, file: "sample-plan.json").get()
    }
}

// MARK: - Reading indicator values

@Suite struct IndicatorRuleReadingTests {
    let persons = IndicatorRule(scale: .count, unitNames: ["person", "persoon"])
    let percent = IndicatorRule(scale: .percent, unitNames: [])
    let euros = IndicatorRule(scale: .amount, unitNames: [])

    @Test func numbersWithTheIndicatorsUnit() {
        #expect(persons.read("12") == .success(12))
        #expect(persons.read("12 persons") == .success(12))
        #expect(persons.read("12 person") == .success(12))
        #expect(persons.read("  12 Persons\n") == .success(12), "trimmed and case-insensitive")
        #expect(persons.read("12persons") == .success(12), "no space needed")
        #expect(persons.read("12 people") == .success(12))
        #expect(persons.read("12 personen") == .success(12))
        #expect(persons.read("12 persoon") == .success(12))
        #expect(persons.read("+12") == .success(12))
        #expect(persons.read("12.0") == .success(12), "a whole number written with a decimal is still whole")
        let families = IndicatorRule(scale: .count, unitNames: ["family"])
        #expect(families.read("3 families") == .success(3))
        let young = IndicatorRule(scale: .count, unitNames: ["young person"])
        #expect(young.read("30 young people") == .success(30))
    }

    @Test func anotherUnitIsRefused() {
        #expect(persons.read("12 %") == .failure(.wrongUnit(given: "%")))
        #expect(persons.read("12 euro") == .failure(.wrongUnit(given: "euro")))
        #expect(persons.read("12 500") == .failure(.wrongUnit(given: "500")))
        #expect(IndicatorRule(scale: .count, unitNames: []).read("4 persons") == .failure(.wrongUnit(given: "persons")))
        #expect(percent.read("12 %") == .success(12))
        #expect(percent.read("12,5 %") == .success(12.5))
        #expect(percent.read("12 procent") == .success(12))
        #expect(percent.read("12 persons") == .failure(.wrongUnit(given: "persons")))
        #expect(euros.read("12 EUR") == .success(12))
        #expect(euros.read("12,50 €") == .success(12.5))
        #expect(euros.read("12 %") == .failure(.wrongUnit(given: "%")))
    }

    @Test func decimalCommaAndWholeNumbers() {
        #expect(persons.read("12,5") == .failure(.notWhole(12.5)))
        #expect(persons.read("12.5 persons") == .failure(.notWhole(12.5)))
        #expect(euros.read("12,5") == .success(12.5))
        #expect(euros.read("12.5") == .success(12.5))
        #expect(euros.read("0,07") == .success(0.07))
        #expect(euros.read("3,999") == .success(3999), "three digits after the separator group thousands")
        #expect(euros.read("3,995") == .success(3995))
        #expect(euros.read("€ 12,50") == .success(12.5), "a currency sign before an amount")
        #expect(euros.read("12,504 EUR") == .success(12504))
        #expect(percent.read("99,5") == .success(99.5))
    }

    @Test func rangesOfTheScale() {
        #expect(percent.read("101") == .failure(.aboveMaximum(101, maximum: 100)))
        #expect(percent.read("100") == .success(100))
        #expect(percent.read("0") == .success(0))
        #expect(IndicatorRule(scale: .percent, unitNames: [], maximum: 250).effectiveMaximum == 100, "a percentage never exceeds 100")
        #expect(IndicatorRule(scale: .percent, unitNames: [], maximum: 50).read("60") == .failure(.aboveMaximum(60, maximum: 50)))
        #expect(persons.read("-1") == .failure(.belowMinimum(-1, minimum: 0)))
        #expect(euros.read("-0,5") == .failure(.belowMinimum(-0.5, minimum: 0)))
        #expect(persons.effectiveMaximum == nil)
        #expect(persons.read("1000000") == .success(1_000_000), "a count has no maximum unless the indicator says so")
        let adopted = IndicatorRule(scale: .count, unitNames: ["plan"], maximum: 1)
        #expect(adopted.read("1 plan") == .success(1))
        #expect(adopted.read("2") == .failure(.aboveMaximum(2, maximum: 1)))
        // Bounds are checked before wholeness: the more useful message.
        #expect(adopted.read("1,5") == .failure(.aboveMaximum(1.5, maximum: 1)))
    }

    @Test func notNumbersAtAll() {
        #expect(persons.read("") == .failure(.empty))
        #expect(persons.read("   \n") == .failure(.empty))
        #expect(persons.read("abc") == .failure(.notANumber("abc")))
        #expect(persons.read("many persons") == .failure(.notANumber("many persons")))
        #expect(persons.read("10-20") == .failure(.notANumber("10-20")), "a range is not one value")
        #expect(euros.read("1.250,50") == .success(1250.5), "thousands and decimals")
        #expect(euros.read("1,2,3") == .failure(.notANumber("1,2,3")), "separators that group nothing")
        #expect(persons.read(".") == .failure(.notANumber(".")))
        #expect(persons.read(" abc ") == .failure(.notANumber("abc")), "the message shows the trimmed text")
    }

    @Test func problemsHaveMessagesAndArguments() {
        #expect(IndicatorRule.Problem.empty.messageKey == "error.value.missing")
        #expect(IndicatorRule.Problem.notANumber("x").messageKey == "error.value.notANumber")
        #expect(IndicatorRule.Problem.wrongUnit(given: "%").arguments == ["%"])
        #expect(IndicatorRule.Problem.notWhole(12.5).arguments == ["12.5"])
        #expect(IndicatorRule.Problem.belowMinimum(-1, minimum: 0).arguments == ["-1", "0"])
        #expect(IndicatorRule.Problem.aboveMaximum(101, maximum: 100).messageKey == "error.value.aboveMaximum")
        #expect(IndicatorRule.Problem.aboveMaximum(101, maximum: 100).arguments == ["101", "100"])
    }

    /// "1.000" (Dutch) and "1,000" (English) mean a thousand, as in budgets: never one person.
    @Test func thousandsSeparatorIsNotReadAsADecimalOfACount() {
        #expect(persons.read("1.000") == .success(1000))
        #expect(persons.read("1,000 persons") == .success(1000))
        #expect(persons.read("12.345.678") == .success(12_345_678))
        #expect(Money.read("100 euro") == .success(100))
        #expect(Money.read("EUR 1.250") == .success(1250))
    }
}

// MARK: - Budgets

@Suite struct MoneyReadingTests {
    @Test func budgetsAsTyped() {
        #expect(Money.read("12500") == .success(12_500))
        #expect(Money.read("12 500") == .success(12_500))
        #expect(Money.read("12\u{00A0}500") == .success(12_500))
        #expect(Money.read("12.500,50") == .success(12_500.5))
        #expect(Money.read("12,500.50") == .success(12_500.5))
        #expect(Money.read("€ 12,500.50") == .success(12_500.5))
        #expect(Money.read("12.500 EUR") == .success(12_500))
        #expect(Money.read("1.234") == .success(1_234))
        #expect(Money.read("1,234") == .success(1_234))
        #expect(Money.read("1.234.567") == .success(1_234_567))
        #expect(Money.read("12,5") == .success(12.5))
        #expect(Money.read("0,05") == .success(0.05))
        #expect(Money.read(" 650 ") == .success(650))
    }

    @Test func emptyMeansNoBudget() {
        #expect(Money.read("") == .success(nil))
        #expect(Money.read("   ") == .success(nil))
    }

    @Test func refusals() {
        #expect(Money.read("lots") == .failure(.notANumber("lots")))
        #expect(Money.read("12 euros please") == .failure(.notANumber("12 euros please")))
        #expect(Money.read("€") == .failure(.notANumber("€")))
        #expect(Money.read("1-2") == .failure(.notANumber("1-2")))
        #expect(Money.read("-5") == .failure(.negative))
        #expect(Money.read("-1.250,00") == .failure(.negative))
    }
}

// MARK: - Uptake requests

@Suite struct UptakeRulesTests {
    let catalogue = SamplePlanCatalogue.catalogue

    @Test func requestStatusFollowsItsItems() {
        #expect(UptakeRequestStatus.of([.pending, .approved]) == .submitted)
        #expect(UptakeRequestStatus.of([.pending, .changesRequested, .approved]) == .changesRequested)
        #expect(UptakeRequestStatus.of([.approved, .declined]) == .decided)
        #expect(UptakeRequestStatus.of([.declined]) == .decided)
        #expect(UptakeDecision.requestChanges.resultingStatus == .changesRequested)
        #expect(UptakeDecision.approve.resultingStatus == .approved)
        #expect(UptakeDecision.decline.resultingStatus == .declined)
        #expect(UptakeDecision(rawValue: "request_changes") == .requestChanges)
    }

    @Test func aValidRequest() throws {
        let lines = try UptakeRules.check(catalogue: catalogue, status: .published,
                                          selected: [("guidance", "6.400,50"), ("buddies", ""), ("guidance", "1")],
                                          motivation: "  We want to  ", alreadyRequested: ["harassment-plan"],
                                          today: Self.during).get()
        #expect(lines == [UptakeRules.Line(actionID: "guidance", budget: 6_400.5), UptakeRules.Line(actionID: "buddies", budget: nil)],
                "a repeated action counts once, with its first budget")
    }

    /// A day within the sample catalogue's period (2024–2025).
    static let during = Day(2025, 6, 1)

    func errors(status: CatalogueStatus = .published, _ selected: [(actionID: String, budget: String)], motivation: String = "Because",
                already: Set<String> = [], today: Day = during) -> FieldErrors {
        switch UptakeRules.check(catalogue: catalogue, status: status, selected: selected, motivation: motivation, alreadyRequested: already,
                                 today: today) {
        case .success: return FieldErrors()
        case .failure(let e): return e
        }
    }

    @Test func onlyPublishedCataloguesTakeRequests() {
        #expect(errors(status: .draft, [("guidance", "")])["catalogue"] == FieldErrors.Message("error.uptake.unpublished"))
        #expect(errors(status: .withdrawn, [("guidance", "")])["catalogue"] == FieldErrors.Message("error.uptake.withdrawn"))
        #expect(errors(status: .withdrawn, [("guidance", "")]).fields == ["catalogue"])
        #expect(errors(status: .published, [("guidance", "")]).isEmpty)
    }

    @Test func aCatalogueWhosePeriodEndedTakesNoRequestsNorApprovals() {
        let after = errors([("guidance", "")], today: Day(2026, 1, 1))
        #expect(after["catalogue"] == FieldErrors.Message("error.uptake.periodEnded", ["2025-12-31"]))
        #expect(errors([("guidance", "")], today: Day(2025, 12, 31)).isEmpty, "the last day of the period still counts")
        #expect(UptakeRules.periodEnded(catalogue, today: Day(2026, 1, 1)) == Day(2025, 12, 31))
        let ended = Day(2025, 12, 31)
        #expect(UptakeRules.checkDecision(.approve, on: .pending, comment: "", periodEnded: ended) == "error.uptake.periodEnded")
        #expect(UptakeRules.checkDecision(.requestChanges, on: .pending, comment: "Why", periodEnded: ended) == "error.uptake.periodEnded")
        #expect(UptakeRules.checkDecision(.decline, on: .pending, comment: "Ended", periodEnded: ended) == nil, "a decline still closes it")
        #expect(UptakeRules.checkDecision(.approve, on: .pending, comment: "", periodEnded: nil) == nil)
    }

    @Test func aBudgetIsCheckedAgainstTheActionsCap() throws {
        // guidance: 10 units × € 650 = € 6,500.
        let action = try #require(catalogue.action("guidance"))
        #expect(UptakeRules.budgetCap(action) == 6_500)
        #expect(errors([("guidance", "6500")]).isEmpty, "the cap itself is allowed")
        #expect(errors([("guidance", "6500,01")])["budget:guidance"] == FieldErrors.Message("error.budget.aboveCap", ["6500"]))
        #expect(UptakeRules.readBudget("7000", for: action) == .failure(.aboveCap(cap: 6_500)))
        #expect(UptakeRules.readBudget("7000", for: nil) == .success(7_000), "a budget for no known action has no cap")
    }

    @Test func extremeBudgetsAreRefusedNeverTrapped() {
        for typed in ["999999999999999999999", "1e308", "1.000.000.000.000.001", "9223372036854775808"] {
            guard case .failure(let p) = Money.read(typed) else { Issue.record("\(typed) accepted"); continue }
            #expect(p == .tooLarge(typed) || p == .notANumber(typed), "\(typed): \(p)")
        }
        for typed in ["nan", "inf", "-Infinity", "0x10", "1e5", "١٢"] {
            #expect(Money.read(typed) == .failure(.notANumber(typed)), "\(typed)")
        }
        #expect(Money.read("-0") == .success(0))
        #expect(Money.read("1000000000000") == .success(1_000_000_000_000), "a thousand billion is the largest")
    }

    @Test func actionsMustBeChosenAndKnown() {
        let none = errors([])
        #expect(none["actions"] == FieldErrors.Message("error.uptake.noAction"))
        #expect(none.fields == ["actions"])
        #expect(errors([("ghost", "")])["actions"] == FieldErrors.Message("error.uptake.unknownAction", ["ghost"]))
    }

    @Test func budgetsPerAction() {
        let bad = errors([("guidance", "lots"), ("buddies", "-5")])
        #expect(bad["budget:guidance"] == FieldErrors.Message("error.budget.notANumber", ["lots"]))
        #expect(bad["budget:buddies"] == FieldErrors.Message("error.budget.negative"))
        #expect(bad.fields == ["budget:guidance", "budget:buddies"])
    }

    @Test func anActionAlreadyRequestedIsRefused() {
        let e = errors([("guidance", "100"), ("buddies", "")], already: ["guidance"])
        #expect(e["budget:guidance"] == FieldErrors.Message("error.uptake.alreadyRequested", ["Guidance to work"]))
        #expect(e.fields == ["budget:guidance"])
    }

    @Test func motivationIsNeededAndLimited() {
        #expect(errors([("guidance", "")], motivation: " \n ")["motivation"] == FieldErrors.Message("error.uptake.motivationMissing"))
        let long = String(repeating: "a", count: UptakeRules.maximumMotivationLength + 1)
        #expect(errors([("guidance", "")], motivation: long)["motivation"] == FieldErrors.Message("error.text.long", ["2000"]))
        #expect(errors([("guidance", "")], motivation: String(repeating: "a", count: 2_000)).isEmpty)
    }

    @Test func everyProblemAtOnceInFormOrder() {
        let e = errors(status: .draft, [("guidance", "abc")], motivation: "")
        #expect(e.fields == ["catalogue", "budget:guidance", "motivation"])
    }

    @Test func decisions() {
        #expect(UptakeRules.checkDecision(.approve, on: .pending, comment: "") == nil)
        #expect(UptakeRules.checkDecision(.approve, on: .pending, comment: "Well done") == nil)
        #expect(UptakeRules.checkDecision(.requestChanges, on: .pending, comment: "") == "error.uptake.commentNeeded")
        #expect(UptakeRules.checkDecision(.decline, on: .pending, comment: "  \n") == "error.uptake.commentNeeded")
        #expect(UptakeRules.checkDecision(.requestChanges, on: .pending, comment: "Lower the budget") == nil)
        #expect(UptakeRules.checkDecision(.decline, on: .pending, comment: "Out of scope") == nil)
        for status in [UptakeItemStatus.approved, .declined, .changesRequested] {
            #expect(UptakeRules.checkDecision(.approve, on: status, comment: "ok") == "error.uptake.notPending")
            #expect(UptakeRules.checkDecision(.decline, on: status, comment: "no") == "error.uptake.notPending")
        }
        let long = String(repeating: "x", count: UptakeRules.maximumCommentLength + 1)
        #expect(UptakeRules.checkDecision(.approve, on: .pending, comment: long) == "error.text.long")
        #expect(UptakeRules.checkDecision(.decline, on: .pending, comment: String(repeating: "x", count: 2_000)) == nil)
    }
}

// MARK: - The coordinator's overview

@Suite struct CoordinatorOverviewTests {
    typealias O = CoordinatorOverview
    let today = Day(2025, 9, 1)
    // Ids deliberately not in the order of the names: lists are sorted by name.
    let gent = O.Municipality(id: 10, name: "Gent"), aalst = O.Municipality(id: 20, name: "Aalst"),
        brugge = O.Municipality(id: 30, name: "Brugge"), leuven = O.Municipality(id: 40, name: "Leuven"),
        mechelen = O.Municipality(id: 50, name: "Mechelen")
    let partner = 99

    func overview(today: Day? = nil) -> CoordinatorOverview {
        let requests = [
            O.RequestItem(municipality: 30, actionID: "guidance", status: .approved),
            O.RequestItem(municipality: 20, actionID: "guidance", status: .approved),
            O.RequestItem(municipality: 10, actionID: "guidance", status: .pending),
            O.RequestItem(municipality: 40, actionID: "harassment-plan", status: .declined),
            O.RequestItem(municipality: 10, actionID: "harassment-plan", status: .changesRequested),
            O.RequestItem(municipality: 30, actionID: "harassment-plan", status: .approved),
            O.RequestItem(municipality: 50, actionID: "buddies", status: .approved),
        ]
        let actions = [
            O.PlanAction(id: 101, municipality: 20, catalogueActionID: "guidance", status: .running, start: Day(2024, 1, 1), end: Day(2025, 12, 31),
                         lastActivity: Day(2025, 6, 1), fundingEnd: Day(2025, 6, 30), hasContinuation: false),
            O.PlanAction(id: 102, municipality: 30, catalogueActionID: "guidance", status: .running, start: Day(2024, 1, 1), end: Day(2025, 12, 31),
                         lastActivity: Day(2024, 12, 1), fundingEnd: Day(2025, 8, 31), hasContinuation: true),
            O.PlanAction(id: 103, municipality: 30, catalogueActionID: "harassment-plan", status: .done, start: Day(2024, 1, 1), end: Day(2025, 3, 31),
                         lastActivity: nil, fundingEnd: Day(2025, 5, 1), hasContinuation: false),
            // Funding ending today has not ended yet.
            O.PlanAction(id: 104, municipality: 50, catalogueActionID: "buddies", status: .running, start: Day(2025, 1, 1), end: Day(2025, 12, 31),
                         lastActivity: nil, fundingEnd: Day(2025, 9, 1), hasContinuation: false),
        ]
        let indicators = [
            // Aalst: its own values and a partner's; the latest of each adds up to 8 + 3 = 11, above the target 10.
            O.Indicator(id: 1, planAction: 101, municipality: 20, catalogueActionID: "guidance", catalogueIndicatorID: "guided", values: [
                IndicatorValue(reporter: 20, day: Day(2025, 3, 31), value: 4),
                IndicatorValue(reporter: 20, day: Day(2025, 6, 30), value: 8),
                IndicatorValue(reporter: partner, day: Day(2025, 7, 15), value: 3),
            ]),
            // Brugge: 6, below the target.
            O.Indicator(id: 2, planAction: 102, municipality: 30, catalogueActionID: "guidance", catalogueIndicatorID: "guided", values: [
                IndicatorValue(reporter: 30, day: Day(2025, 1, 15), value: 6),
            ]),
            // Brugge, a decreasing indicator: from 9 to 4, at or below the target 5.
            O.Indicator(id: 3, planAction: 103, municipality: 30, catalogueActionID: "harassment-plan", catalogueIndicatorID: "incidents", values: [
                IndicatorValue(reporter: 30, day: Day(2024, 6, 1), value: 9),
                IndicatorValue(reporter: 30, day: Day(2024, 12, 1), value: 4),
            ]),
            // Mechelen measures but has not reported.
            O.Indicator(id: 4, planAction: 104, municipality: 50, catalogueActionID: "buddies", catalogueIndicatorID: "matched", values: []),
        ]
        return O.build(catalogue: SamplePlanCatalogue.catalogue, mentors: ["buddies": ["Aalst"]],
                       municipalities: [gent, aalst, brugge, leuven, mechelen], requests: requests, actions: actions,
                       indicators: indicators, today: today ?? self.today)
    }

    @Test func uptakePerActionSortedByName() {
        let o = overview()
        #expect(o.asOf == today)
        #expect(o.municipalityCount == 5)
        #expect(o.uptake == [
            O.Uptake(actionID: "guidance", approved: [20, 30], pending: [10], changesRequested: [], declined: [], mentors: ["Mechelen"]),
            O.Uptake(actionID: "harassment-plan", approved: [30], pending: [], changesRequested: [10], declined: [40], mentors: []),
            O.Uptake(actionID: "buddies", approved: [50], pending: [], changesRequested: [], declined: [], mentors: ["Aalst"]),
        ])
        #expect(o.withoutMentor == ["harassment-plan"], "the coordinator's mentors replace the catalogue's")
    }

    @Test func quietMunicipalities() {
        #expect(overview().quiet == [
            // The last value Brugge reported (2025-01-15) is later than its last progress update, and still over six months ago.
            O.QuietMunicipality(municipality: brugge, reason: .noUpdate(since: Day(2025, 1, 15))),
            // Only pending and changes requested: nothing taken up.
            O.QuietMunicipality(municipality: gent, reason: .noUptake),
            // Only declined.
            O.QuietMunicipality(municipality: leuven, reason: .noUptake),
            // Taken up, never reported.
            O.QuietMunicipality(municipality: mechelen, reason: .noUpdate(since: nil)),
        ])
    }

    @Test func quietAfterSixFullMonths() {
        func quiet(last: Day) -> [O.QuietMunicipality] {
            O.build(catalogue: SamplePlanCatalogue.catalogue, mentors: [:], municipalities: [aalst],
                    requests: [O.RequestItem(municipality: 20, actionID: "guidance", status: .approved)],
                    actions: [O.PlanAction(id: 1, municipality: 20, catalogueActionID: "guidance", status: .running, start: Day(2024, 1, 1),
                                           end: Day(2025, 12, 31), lastActivity: last, fundingEnd: nil, hasContinuation: false)],
                    indicators: [], today: today).quiet
        }
        #expect(quiet(last: Day(2025, 3, 1)) == [])
        #expect(quiet(last: Day(2025, 2, 28)) == [O.QuietMunicipality(municipality: aalst, reason: .noUpdate(since: Day(2025, 2, 28)))])
    }

    @Test func regionalIndicators() {
        #expect(overview().indicators == [
            O.RegionalIndicator(actionID: "guidance", indicatorID: "guided", municipalities: 2, reporting: 2, total: 17,
                                targetPerMunicipality: 10, reachedTarget: 1, regionalTarget: 20),
            O.RegionalIndicator(actionID: "harassment-plan", indicatorID: "incidents", municipalities: 1, reporting: 1, total: 4,
                                targetPerMunicipality: 5, reachedTarget: 1, regionalTarget: 5),
            O.RegionalIndicator(actionID: "buddies", indicatorID: "matched", municipalities: 1, reporting: 0, total: 0,
                                targetPerMunicipality: nil, reachedTarget: 0, regionalTarget: nil),
        ])
    }

    @Test func valuesAfterTodayDoNotCount() {
        // As of 2025-07-01 the partner's value (2025-07-15) is not there yet: Aalst has 8, below the target.
        let o = overview(today: Day(2025, 7, 1))
        let guided = o.indicators[0]
        #expect(guided.total == 14)
        #expect(guided.reachedTarget == 0)
    }

    @Test func fundingEndedWithoutContinuationFirst() {
        #expect(overview().fundingEnded == [
            O.FundingEnded(planAction: 101, municipality: aalst, actionID: "guidance", fundingEnd: Day(2025, 6, 30), status: .running, hasContinuation: false),
            O.FundingEnded(planAction: 103, municipality: brugge, actionID: "harassment-plan", fundingEnd: Day(2025, 5, 1), status: .done, hasContinuation: false),
            O.FundingEnded(planAction: 102, municipality: brugge, actionID: "guidance", fundingEnd: Day(2025, 8, 31), status: .running, hasContinuation: true),
        ])
    }

    @Test func theShippedCatalogueWithoutAnyRows() throws {
        let catalogue = try PlanCatalogueFile.load()
        let o = O.build(catalogue: catalogue, mentors: [:], municipalities: [aalst], requests: [], actions: [], indicators: [], today: today)
        #expect(o.uptake.count == 24)
        #expect(o.uptake.allSatisfy { $0.approved.isEmpty && $0.pending.isEmpty })
        #expect(o.withoutMentor.count == 17)
        #expect(!o.withoutMentor.contains("guidance-to-work"))
        #expect(o.withoutMentor.contains("polarisation-action-plan"))
        #expect(o.indicators.count == 33)
        #expect(o.indicators.allSatisfy { $0.municipalities == 0 && $0.total == 0 && $0.regionalTarget.map { $0 == 0 } ?? true })
        #expect(o.quiet == [O.QuietMunicipality(municipality: aalst, reason: .noUptake)])
        #expect(o.fundingEnded.isEmpty)
    }
}

// MARK: - Plan actions and indicators as typed

@Suite struct PlanInputTests {
    func valid() -> PlanActionInput {
        var input = PlanActionInput()
        input.title = "  Buddies for newcomers "
        input.goals = " Match 30 newcomers "
        input.start = "2025-01-01"
        input.end = "2025-12-31"
        input.budget = "12.500,50"
        input.status = "running"
        input.fundingEnd = "2025-06-30"
        return input
    }

    func errors(_ input: PlanActionInput) -> FieldErrors {
        switch input.check() { case .success: return FieldErrors(); case .failure(let e): return e }
    }

    @Test func aValidPlanAction() throws {
        let checked = try valid().check().get()
        #expect(checked.title == "Buddies for newcomers")
        #expect(checked.goals == "Match 30 newcomers")
        #expect(checked.start == Day(2025, 1, 1))
        #expect(checked.end == Day(2025, 12, 31))
        #expect(checked.budget == 12_500.5)
        #expect(checked.status == .running)
        #expect(checked.fundingEnd == Day(2025, 6, 30))
        var noBudget = valid()
        noBudget.budget = ""
        noBudget.fundingEnd = ""
        let c = try noBudget.check().get()
        #expect(c.budget == nil)
        #expect(c.fundingEnd == nil)
        var sameDay = valid()
        sameDay.end = sameDay.start
        #expect(try sameDay.check().get().end == Day(2025, 1, 1), "one day is a valid period")
    }

    @Test func endBeforeStart() {
        var input = valid()
        input.end = "2024-12-31"
        let e = errors(input)
        #expect(e["end"] == FieldErrors.Message("error.date.endBeforeStart", ["2025-01-01"]))
        #expect(e.fields == ["end"])
    }

    @Test func badFields() {
        var input = valid()
        input.budget = "abc"
        #expect(errors(input)["budget"] == FieldErrors.Message("error.budget.notANumber", ["abc"]))
        input = valid()
        input.budget = "-100"
        #expect(errors(input)["budget"] == FieldErrors.Message("error.budget.negative"))
        input = valid()
        input.title = "   "
        #expect(errors(input)["title"] == FieldErrors.Message("error.plan.titleMissing"))
        input.title = String(repeating: "t", count: 201)
        #expect(errors(input)["title"] == FieldErrors.Message("error.text.long", ["200"]))
        input = valid()
        input.status = "finished"
        #expect(errors(input)["status"] == FieldErrors.Message("error.choice.unknown"))
        input = valid()
        input.fundingEnd = "soon"
        #expect(errors(input)["funding_end"] == FieldErrors.Message("error.date.invalid", ["soon"]))
        input = valid()
        input.activities = String(repeating: "a", count: PlanActionInput.maximumTextLength + 1)
        #expect(errors(input)["activities"] == FieldErrors.Message("error.text.long", ["5000"]))
        input = valid()
        input.start = "2025-02-30"
        input.end = ""
        let e = errors(input)
        #expect(e["start"] == FieldErrors.Message("error.date.invalid", ["2025-02-30"]))
        #expect(e["end"] == FieldErrors.Message("error.date.missing"), "an empty date asks for one, never “” is not a date")
    }

    @Test func checkDates() {
        var errors = FieldErrors()
        let d = PlanRules.checkDates(start: " 2024-02-29 ", end: "2024-03-01", into: &errors)
        #expect(d.map { [$0.0, $0.1] } == [Day(2024, 2, 29), Day(2024, 3, 1)])
        #expect(errors.isEmpty)
        #expect(PlanRules.checkDates(start: "2024-03-02", end: "2024-03-01", into: &errors) == nil)
        #expect(errors["end"] == FieldErrors.Message("error.date.endBeforeStart", ["2024-03-02"]))
        #expect(errors["start"] == nil)
    }

    func indicator(_ configure: (inout IndicatorInput) -> Void) -> IndicatorInput {
        var input = IndicatorInput()
        input.name = "Newcomers guided"
        input.unit = "person"
        configure(&input)
        return input
    }

    func errors(_ input: IndicatorInput) -> FieldErrors {
        switch input.check() { case .success: return FieldErrors(); case .failure(let e): return e }
    }

    @Test func aValidIndicator() throws {
        let checked = try indicator { $0.baseline = "10"; $0.target = "150 persons"; $0.howMeasured = " Lists " }.check().get()
        #expect(checked == IndicatorInput.Checked(name: "Newcomers guided", unit: "person", scale: .count, direction: .increase,
                                                   baseline: 10, target: 150, howMeasured: "Lists"))
        let noTarget = try indicator { $0.baseline = "" }.check().get()
        #expect(noTarget.baseline == 0)
        #expect(noTarget.target == nil)
        let down = try indicator { $0.direction = "decrease"; $0.baseline = "20"; $0.target = "5" }.check().get()
        #expect(down.direction == .decrease)
        #expect(down.target == 5)
        let share = try indicator { $0.scale = "percent"; $0.unit = "%"; $0.baseline = "12,5 %"; $0.target = "40%" }.check().get()
        #expect(share.baseline == 12.5)
        #expect(share.target == 40)
    }

    @Test func targetsPointTheIndicatorsWay() {
        #expect(errors(indicator { $0.baseline = "100"; $0.target = "50" })["target"] == FieldErrors.Message("error.indicator.targetNotAbove"))
        #expect(errors(indicator { $0.baseline = "100"; $0.target = "100" })["target"] == FieldErrors.Message("error.indicator.targetNotAbove"))
        #expect(errors(indicator { $0.direction = "decrease"; $0.baseline = "10"; $0.target = "12" })["target"] == FieldErrors.Message("error.indicator.targetNotBelow"))
        #expect(errors(indicator { $0.direction = "decrease"; $0.baseline = "10"; $0.target = "10" })["target"] == FieldErrors.Message("error.indicator.targetNotBelow"))
    }

    @Test func badIndicatorFields() {
        let missing = errors(indicator { $0.name = " "; $0.unit = "" })
        #expect(missing["name"] == FieldErrors.Message("error.indicator.nameMissing"))
        #expect(missing["unit"] == FieldErrors.Message("error.indicator.unitMissing"))
        #expect(errors(indicator { $0.unit = String(repeating: "u", count: 61) })["unit"] == FieldErrors.Message("error.text.long", ["60"]))
        #expect(errors(indicator { $0.scale = "ratio" })["scale"] == FieldErrors.Message("error.choice.unknown"))
        #expect(errors(indicator { $0.direction = "up" })["direction"] == FieldErrors.Message("error.choice.unknown"))
        #expect(errors(indicator { $0.baseline = "abc" })["baseline"] == FieldErrors.Message("error.value.notANumber", ["abc"]))
        #expect(errors(indicator { $0.target = "12,5" })["target"] == FieldErrors.Message("error.value.notWhole", ["12.5"]))
        #expect(errors(indicator { $0.target = "12 %" })["target"] == FieldErrors.Message("error.value.wrongUnit", ["%"]))
        #expect(errors(indicator { $0.scale = "percent"; $0.unit = "%"; $0.target = "120" })["target"] == FieldErrors.Message("error.value.aboveMaximum", ["120", "100"]))
        #expect(errors(indicator { $0.baseline = "-3" })["baseline"] == FieldErrors.Message("error.value.belowMinimum", ["-3", "0"]))
    }
}

// MARK: - Permissions

@Suite struct PlanPermissionsTests {
    typealias A = PlanPermissions.Action
    let town = 1, otherTown = 2, association = 9, otherAssociation = 8, partnerOrg = 7

    var everyAction: [A] {
        [.uploadCatalogue, .viewCatalogue(publisher: association, published: true), .viewCatalogue(publisher: association, published: false),
         .viewCatalogue(publisher: nil, published: false), .manageCatalogue(publisher: association), .manageCatalogue(publisher: nil),
         .requestUptake(organisation: town), .viewRequest(organisation: town, coordinator: association), .decideRequest(coordinator: association),
         .decideRequest(coordinator: nil), .viewCoordination(publisher: association), .viewPlan(organisation: town, published: true),
         .viewPlan(organisation: town, published: false), .viewPlanAction(organisation: town, published: false, partners: [partnerOrg]),
         .editPlan(organisation: town), .reportValues(organisation: town, partners: [partnerOrg])]
    }

    /// The actions an actor may take among `everyAction`.
    func allowed(_ actor: Actor) -> [A] { everyAction.filter { PlanPermissions.allows(actor, $0) } }

    @Test func anonymousOnlyReadsWhatIsPublished() {
        #expect(allowed(.anonymous) == [.viewCatalogue(publisher: association, published: true), .viewPlan(organisation: town, published: true)])
        #expect(PlanPermissions.allows(.anonymous, .viewPlanAction(organisation: town, published: true, partners: [])))
        #expect(!PlanPermissions.allows(.anonymous, .viewPlanAction(organisation: town, published: false, partners: [])))
    }

    @Test func municipalityViewer() {
        let viewer = Actor(userID: 1, roles: [town: .viewer], kinds: [town: .municipality])
        #expect(allowed(viewer) == [.viewCatalogue(publisher: association, published: true), .viewRequest(organisation: town, coordinator: association),
                                    .viewPlan(organisation: town, published: true), .viewPlan(organisation: town, published: false),
                                    .viewPlanAction(organisation: town, published: false, partners: [partnerOrg])])
        #expect(!PlanPermissions.allows(viewer, .viewPlan(organisation: otherTown, published: false)))
    }

    @Test func municipalityEditor() {
        let editor = Actor(userID: 1, roles: [town: .editor], kinds: [town: .municipality])
        #expect(allowed(editor) == [.viewCatalogue(publisher: association, published: true), .requestUptake(organisation: town),
                                    .viewRequest(organisation: town, coordinator: association),
                                    .viewPlan(organisation: town, published: true), .viewPlan(organisation: town, published: false),
                                    .viewPlanAction(organisation: town, published: false, partners: [partnerOrg]),
                                    .editPlan(organisation: town), .reportValues(organisation: town, partners: [partnerOrg])])
        #expect(!PlanPermissions.allows(editor, .editPlan(organisation: otherTown)))
        #expect(!PlanPermissions.allows(editor, .requestUptake(organisation: otherTown)))
        #expect(!PlanPermissions.allows(editor, .viewRequest(organisation: otherTown, coordinator: association)))
        let admin = Actor(userID: 1, roles: [town: .admin], kinds: [town: .municipality])
        #expect(allowed(admin) == allowed(editor), "a municipality's administrator may do what its editors may")
    }

    @Test func coordinatorEditor() {
        let coordinator = Actor(userID: 2, roles: [association: .editor], kinds: [association: .association])
        #expect(coordinator.isCoordinator)
        #expect(allowed(coordinator) == [.uploadCatalogue, .viewCatalogue(publisher: association, published: true),
                                         .viewCatalogue(publisher: association, published: false), .viewCatalogue(publisher: nil, published: false),
                                         .manageCatalogue(publisher: association), .manageCatalogue(publisher: nil),
                                         .viewRequest(organisation: town, coordinator: association), .decideRequest(coordinator: association),
                                         .viewCoordination(publisher: association), .viewPlan(organisation: town, published: true)])
        #expect(!PlanPermissions.allows(coordinator, .manageCatalogue(publisher: otherAssociation)))
        #expect(!PlanPermissions.allows(coordinator, .decideRequest(coordinator: otherAssociation)))
        #expect(!PlanPermissions.allows(coordinator, .viewCatalogue(publisher: otherAssociation, published: false)))
    }

    @Test func coordinatorsAreAssociationsAgenciesOrNetworks() {
        // The same role without the organisation's kind, or in a municipality, is no coordinator.
        let unknownKind = Actor(userID: 2, roles: [association: .editor])
        #expect(!unknownKind.isCoordinator)
        #expect(!PlanPermissions.allows(unknownKind, .uploadCatalogue))
        #expect(!PlanPermissions.allows(unknownKind, .manageCatalogue(publisher: nil)))
        #expect(!PlanPermissions.allows(unknownKind, .viewCatalogue(publisher: nil, published: false)))
        #expect(PlanPermissions.allows(unknownKind, .manageCatalogue(publisher: association)), "its own catalogue stays its own")
        let townEditor = Actor(userID: 1, roles: [town: .admin], kinds: [town: .municipality])
        #expect(!PlanPermissions.allows(townEditor, .uploadCatalogue))
        for kind in [OrganisationKind.agency, .network] {
            #expect(PlanPermissions.allows(Actor(userID: 3, roles: [association: .editor], kinds: [association: kind]), .uploadCatalogue))
        }
        #expect(!PlanPermissions.allows(Actor(userID: 3, roles: [partnerOrg: .admin], kinds: [partnerOrg: .partner]), .uploadCatalogue))
    }

    @Test func coordinatorViewer() {
        let viewer = Actor(userID: 2, roles: [association: .viewer], kinds: [association: .association])
        #expect(!viewer.isCoordinator)
        #expect(allowed(viewer) == [.viewCatalogue(publisher: association, published: true), .viewCatalogue(publisher: association, published: false),
                                    .viewRequest(organisation: town, coordinator: association), .viewCoordination(publisher: association),
                                    .viewPlan(organisation: town, published: true)])
    }

    @Test func partners() {
        let partnerEditor = Actor(userID: 4, roles: [partnerOrg: .editor], kinds: [partnerOrg: .partner])
        #expect(allowed(partnerEditor) == [.viewCatalogue(publisher: association, published: true), .viewPlan(organisation: town, published: true),
                                           .viewPlanAction(organisation: town, published: false, partners: [partnerOrg]),
                                           .reportValues(organisation: town, partners: [partnerOrg])])
        #expect(!PlanPermissions.allows(partnerEditor, .reportValues(organisation: town, partners: [])))
        #expect(!PlanPermissions.allows(partnerEditor, .viewPlanAction(organisation: town, published: false, partners: [otherTown])))
        let partnerViewer = Actor(userID: 5, roles: [partnerOrg: .viewer], kinds: [partnerOrg: .partner])
        #expect(PlanPermissions.allows(partnerViewer, .viewPlanAction(organisation: town, published: false, partners: [partnerOrg])))
        #expect(!PlanPermissions.allows(partnerViewer, .reportValues(organisation: town, partners: [partnerOrg])))
    }

    @Test func platformAdministratorMayDoEverything() {
        let admin = Actor(userID: 6, isPlatformAdmin: true)
        #expect(allowed(admin) == everyAction)
    }
}

// MARK: - Line chart

@Suite struct SVGLineChartTests {
    func chart(target: Double? = 150) -> SVGLineChart {
        SVGLineChart(id: "c1", title: "Persons <guided> & \"more\"", description: "Two municipalities", series: [
            .init(name: "Aalst & <Co>", points: [(Day(2024, 6, 30), 40), (Day(2024, 3, 31), 20)]),
            .init(name: "Brugge \"B\"", points: [(Day(2024, 6, 30), 10)]),
            .init(name: "Later", points: [(Day(2030, 1, 1), 5)]),
        ], target: target, targetLabel: "Target", from: Day(2024, 1, 1), to: Day(2025, 12, 31))
    }

    func lines(_ svg: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "<path d=\"([^\"]*)\" fill=\"none\"")
        return regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { String(svg[Range($0.range(at: 1), in: svg)!]) }
    }

    @Test func accessible() {
        let svg = chart().render()
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"c1-title c1-desc\""))
        #expect(svg.contains("<title id=\"c1-title\">Persons &lt;guided&gt; &amp; &quot;more&quot;</title>"))
        #expect(svg.contains("<desc id=\"c1-desc\">Two municipalities</desc>"))
    }

    @Test func onePathPerSeriesWithPointsInRange() {
        let svg = chart().render()
        let paths = lines(svg)
        #expect(paths.count == 2, "the series with no point in the period draws no line")
        // The axis runs to 200 (the target 150 rounded up): 20 → y 214, 40 → y 194, 10 → y 224; points in day order.
        #expect(paths.first?.hasPrefix("M") == true)
        #expect(paths.first?.contains(" 214.0 L") == true)
        #expect(paths.first?.hasSuffix(" 194.0") == true)
        #expect(paths.last?.hasSuffix(" 224.0") == true)
        #expect(paths.last?.contains("L") == false)
        #expect(svg.contains("stroke-dasharray=\"6 3\""), "the second series has its own dash pattern")
        for label in [">0<", ">50<", ">100<", ">150<", ">200<", ">2024<", ">2025<"] { #expect(svg.contains(label)) }
    }

    @Test func targetLine() {
        let svg = chart().render()
        #expect(svg.contains("stroke-dasharray=\"4 4\"><title>Target: 150</title></line>"))
        let without = chart(target: nil).render()
        #expect(!without.contains("stroke-dasharray=\"4 4\""))
        #expect(!without.contains(">Target<"))
        #expect(without.contains(">50<") && without.contains(">12.5<"), "without the target the axis runs to 50 (40 rounded up)")
        #expect(!without.contains(">200<"))
    }

    @Test func namesAreEscaped() {
        let svg = chart().render()
        #expect(!svg.contains("Aalst & <Co>"))
        #expect(!svg.contains("<guided>"))
        #expect(svg.contains(">Aalst &amp; &lt;Co&gt;</text>"))
        #expect(svg.contains(">Brugge &quot;B&quot;</text>"))
        #expect(svg.contains("<title>Aalst &amp; &lt;Co&gt;, 2024-03-31: 20</title>"))
        #expect(svg.contains("<title>Brugge &quot;B&quot;, 2024-06-30: 10</title>"))
    }
}

// MARK: - The shipped catalogue

/// The shipped Plan Living Together, read and validated by the loader.
enum PlanCatalogueFile {
    static func load() throws -> Catalogue {
        let url = try #require(Catalogues.url(of: "plan-living-together.v1"))
        return try CatalogueLoader.load(try Data(contentsOf: url), file: "plan-living-together.v1.json").get()
    }
}

@Suite struct ShippedPlanCatalogueTests {
    @Test func objectivesActionsAndIndicators() throws {
        let c = try PlanCatalogueFile.load()
        #expect(c.id == "plan-living-together")
        #expect(c.version == 1)
        #expect(c.objectives.count == 7)
        #expect(c.actions.count == 24)
        #expect(Set(c.actions.map(\.id)).count == 24, "action ids are unique across the catalogue")
        #expect(c.actions.allSatisfy { !$0.indicators.isEmpty })
        #expect(c.objective(of: "polarisation-action-plan")?.id == "safety-and-liveability")
        #expect(c.action("guidance-to-work")?.mentorMunicipalities == ["Mechelen"])
        #expect(c.action("guidance-to-work")?.indicators.map(\.id) == ["newcomers-guided", "people-with-disabilities-guided", "over-55s-guided"])
        #expect(c.action("ghost") == nil)
        #expect(CatalogueLoader.validate(c, file: "plan-living-together.v1.json").isEmpty)
    }

    @Test func planAdoptedIsAtMostOne() throws {
        let c = try PlanCatalogueFile.load()
        let adopted = c.actions.flatMap(\.indicators).filter { $0.id == "plan-adopted" }
        #expect(adopted.count == 3)
        #expect(adopted.allSatisfy { $0.maximum == 1 && $0.target == 1 && $0.effectiveScale == .count && $0.direction == .increase })
        let indicator = try #require(c.action("polarisation-action-plan")?.indicators.first)
        let rule = IndicatorRule(scale: indicator.effectiveScale, unitNames: [indicator.unit("en"), indicator.unit("nl")], maximum: indicator.maximum)
        #expect(rule.read("1 plan") == .success(1))
        #expect(rule.read("0") == .success(0))
        #expect(rule.read("2 plans") == .failure(.aboveMaximum(2, maximum: 1)))
        let persons = try #require(c.action("shortened-training-for-non-eu-graduates")?.indicators.first)
        #expect(persons.maximum == nil)
        #expect(persons.target == 23)
        let personRule = IndicatorRule(scale: persons.effectiveScale, unitNames: [persons.unit("en"), persons.unit("nl")], maximum: persons.maximum)
        #expect(personRule.read("23 personen") == .success(23))
        #expect(personRule.read("23 people") == .success(23))
    }

    @Test func everyTargetIsWithinItsIndicatorsRange() throws {
        let c = try PlanCatalogueFile.load()
        for a in c.actions {
            for i in a.indicators {
                guard let t = i.target else { continue }
                let rule = IndicatorRule(scale: i.effectiveScale, unitNames: [i.unit("en")], maximum: i.maximum)
                let text = t.rounded() == t ? String(Int(t)) : String(t)
                #expect(rule.read(text) == .success(t), "\(a.id)/\(i.id)")
            }
        }
    }
}
