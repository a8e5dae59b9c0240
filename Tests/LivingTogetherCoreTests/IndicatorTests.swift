import Testing
@testable import LivingTogetherCore

@Suite struct IndicatorTests {
    let municipality = 1, partner = 2, school = 3

    @Test func sharedTotalsAddEachReportersLatestValue() {
        let values = [
            IndicatorValue(reporter: municipality, day: Day(2024, 3, 31), value: 40),
            IndicatorValue(reporter: municipality, day: Day(2024, 6, 30), value: 95),
            IndicatorValue(reporter: partner, day: Day(2024, 6, 1), value: 30),
            IndicatorValue(reporter: school, day: Day(2024, 9, 30), value: 12),
        ]
        #expect(IndicatorMath.total(values, asOf: Day(2024, 1, 1)) == nil)
        #expect(IndicatorMath.total(values, asOf: Day(2024, 4, 1)) == 40)
        #expect(IndicatorMath.total(values, asOf: Day(2024, 7, 1)) == 125)
        #expect(IndicatorMath.total(values, asOf: Day(2024, 12, 31)) == 137)
        #expect(IndicatorMath.latestByReporter(values, asOf: Day(2024, 12, 31))[municipality]?.value == 95)
    }

    @Test func progressInBothDirections() {
        #expect(IndicatorMath.progress(value: 75, baseline: 0, target: 150, direction: .increase) == 0.5)
        #expect(IndicatorMath.progress(value: 400, baseline: 0, target: 150, direction: .increase) == 1)
        #expect(IndicatorMath.progress(value: -3, baseline: 0, target: 150, direction: .increase) == 0)
        #expect(IndicatorMath.progress(value: 8, baseline: 10, target: 6, direction: .decrease) == 0.5)
        #expect(IndicatorMath.progress(value: 8, baseline: 10, target: 10, direction: .decrease) == nil)
        #expect(IndicatorMath.progress(value: 8, baseline: 10, target: 12, direction: .decrease) == nil, "a target the wrong way")
    }

    @Test func days() {
        #expect(Day("2024-02-29") == Day(2024, 2, 29))
        #expect(Day("2023-02-29") == nil)
        #expect(Day("2024-13-01") == nil)
        #expect(Day("yesterday") == nil)
        #expect(Day(2024, 8, 31).adding(months: 6) == Day(2025, 2, 28))
        #expect(Day(2024, 1, 15).adding(months: 12).description == "2025-01-15")
    }

    @Test func overdueAndStaleItems() {
        let today = Day(2025, 9, 1)
        let running = PlanFollowUp.Item(id: 1, status: .running, start: Day(2024, 1, 1), end: Day(2025, 12, 31), lastUpdate: Day(2025, 5, 1))
        #expect(!PlanFollowUp.isOverdue(running, today: today))
        #expect(!PlanFollowUp.isStale(running, today: today))
        var quiet = running
        quiet.lastUpdate = Day(2025, 2, 28)
        #expect(PlanFollowUp.isStale(quiet, today: today))
        quiet.lastUpdate = nil
        #expect(PlanFollowUp.isStale(quiet, today: today), "never updated since its start")
        var late = running
        late.end = Day(2025, 6, 30)
        #expect(PlanFollowUp.isOverdue(late, today: today))
        late.status = .done
        #expect(!PlanFollowUp.isOverdue(late, today: today))
        #expect(!PlanFollowUp.isStale(late, today: today))
        let future = PlanFollowUp.Item(id: 2, status: .planned, start: Day(2026, 1, 1), end: Day(2026, 12, 31), lastUpdate: nil)
        #expect(!PlanFollowUp.isStale(future, today: today))
    }

    /// Property: the shared total never depends on the order values were reported in.
    @Test func totalsIgnoreReportingOrder() {
        var rng = SplitMix(seed: 11)
        for _ in 0..<200 {
            let values = (0..<20).map { _ in
                IndicatorValue(reporter: Int.random(in: 1...4, using: &rng),
                               day: Day(2024, Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng)),
                               value: Double(Int.random(in: 0...500, using: &rng)))
            }
            // Ties on one reporter's day are ambiguous; keep one value per reporter and day.
            var seen = Set<String>()
            let distinct = values.filter { seen.insert("\($0.reporter)|\($0.day)").inserted }
            let day = Day(2024, Int.random(in: 1...12, using: &rng), 15)
            #expect(IndicatorMath.total(distinct, asOf: day) == IndicatorMath.total(distinct.shuffled(using: &rng), asOf: day))
        }
    }
}
