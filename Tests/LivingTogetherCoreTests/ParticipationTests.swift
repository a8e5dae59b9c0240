import Foundation
import Testing
@testable import LivingTogetherCore

@Suite struct ParticipationTests {
    static func text(_ s: String) -> LocalizedText { LocalizedText(["en": s, "nl": s]) }

    /// Hallo Nederlands' walk: every Wednesday 14:00–16:00 in the first half of 2027, not on 2027-04-07.
    static func walk(counts: Bool = true) -> Activity {
        Activity(id: "walk", title: text("Walk and talk"), summary: text("A walk."), easy: text("We walk. We talk Dutch."),
                 category: .conversationTable, level: .a2, inGroupOrDuo: true, dutchSpeakingContext: counts, address: "Grote Markt 1, Halle",
                 capacity: 12, schedule: ActivitySchedule(kind: .weekly, weekday: 3, from: "2027-01-04", until: "2027-06-30",
                                                          except: ["2027-04-07"], start: "14:00", end: "16:00"))
    }

    @Test func levelsAreReadAsTypedAndOnlyA1ToC2() {
        #expect(CEFRLevel(typed: " b1 ") == .b1 && CEFRLevel(typed: "A2") == .a2)
        for bad in ["A3", "C3", "B", "", "native", "a1+"] { #expect(CEFRLevel(typed: bad) == nil, "\(bad)") }
        #expect(CEFRLevel.a1 < .b2 && CEFRLevel.c2.label == "C2")
    }

    @Test func aWeeklyActivityTakesPlaceOnItsWeekdayButNotOnItsSkippedDays() {
        #expect(ActivitySchedule.weekday(of: Day(2027, 1, 6)) == 3, "6 January 2027 is a Wednesday")
        #expect(ActivitySchedule.weekday(of: Day(1970, 1, 1)) == 4 && ActivitySchedule.weekday(of: Day(1969, 12, 29)) == 1)
        let s = Self.walk().schedule
        let days = s.days(from: Day(2027, 1, 1), to: Day(2027, 12, 31))
        #expect(days.first == Day(2027, 1, 6) && days.last == Day(2027, 6, 30))
        #expect(days.count == 25, "26 Wednesdays less the skipped one")
        #expect(!days.contains(Day(2027, 4, 7)) && s.takesPlace(on: Day(2027, 4, 14)) && !s.takesPlace(on: Day(2027, 4, 15)))
        #expect(s.minutes == 120)
        let once = ActivitySchedule(kind: .dates, dates: ["2027-05-02", "2027-05-02", "junk"], start: "10:00", end: "12:30")
        #expect(once.days(from: Day(2027, 1, 1), to: Day(2027, 12, 31)) == [Day(2027, 5, 2)] && once.minutes == 150)
    }

    @Test func aScheduleNamesItsProblems() {
        let bad = ActivitySchedule(kind: .weekly, weekday: 8, from: "2027-06-01", until: "2027-01-01", start: "16:00", end: "14:00")
        let fields = bad.problems().map(\.field)
        #expect(fields.contains("weekday") && fields.contains("until") && fields.contains("end"))
        let far = ActivitySchedule(kind: .weekly, weekday: 1, from: "2027-01-01", until: "2039-01-01", start: "10:00", end: "11:00")
        #expect(far.problems().map(\.field) == ["until"])
        #expect(ActivitySchedule(kind: .dates, dates: [], start: "10:00", end: "11:00").problems().map(\.field) == ["dates"])
        #expect(Self.walk().schedule.problems().isEmpty)
    }

    @Test func hoursAreRecordedOnlyOnTheActivitysDatesAndWithinItsLength() {
        let walk = Self.walk(), today = Day(2027, 12, 1)
        #expect(ParticipationHours.check(120, on: Day(2027, 1, 6), activity: walk, today: today) == nil)
        #expect(ParticipationHours.check(150, on: Day(2027, 1, 6), activity: walk, today: today) == .beyondDuration(maximum: 120))
        #expect(ParticipationHours.check(60, on: Day(2027, 1, 7), activity: walk, today: today) == .notADateOfTheActivity)
        #expect(ParticipationHours.check(60, on: Day(2027, 4, 7), activity: walk, today: today) == .notADateOfTheActivity)
        #expect(ParticipationHours.check(-5, on: Day(2027, 1, 6), activity: walk, today: today) == .negative)
        #expect(ParticipationHours.check(60, on: Day(2027, 1, 6), activity: walk, today: Day(2027, 1, 5)) == .future)
    }

    @Test func progressCountsOnlyActivitiesThatMeetBothCriteria() {
        let walk = Self.walk(), other = Self.walk(counts: false)
        var records: [(activity: Activity, attendance: Attendance)] = []
        for week in 0..<13 { records.append((walk, Attendance(day: Day(2027, 1, 6).adding(days: 7 * week), minutes: 120, present: true))) }
        records.append((walk, Attendance(day: Day(2027, 4, 14), minutes: 0, present: false)))
        records.append((other, Attendance(day: Day(2027, 1, 6), minutes: 120, present: true)))
        let p = ParticipationHours.progress(records)
        #expect(p.hours == 26 && p.remainingHours == 14 && !p.complete && p.otherMinutes == 120)
        #expect(ParticipationHours.progress(records, requiredHours: 20).complete)
        #expect(ParticipationHours.shown(3) == nil && ParticipationHours.shown(0) == 0 && ParticipationHours.shown(5) == 5)
    }

    @Test func theFinderKeepsWhatFitsSoonestAndNearestFirst() {
        let halle = (latitude: 50.7339, longitude: 4.2345), mechelen = (latitude: 51.0259, longitude: 4.4776)
        var b1 = Self.walk(); b1.id = "b1"; b1.level = .b1
        var sport = Self.walk(); sport.id = "sport"; sport.category = .sport; sport.level = nil
        sport.schedule = ActivitySchedule(kind: .dates, dates: ["2027-01-05"], start: "18:00", end: "19:30")
        var boat = Self.walk(); boat.id = "boat"; boat.languages = ["ar"]
        let listings = [ActivityListing(id: 1, activity: Self.walk(), latitude: halle.latitude, longitude: halle.longitude),
                        ActivityListing(id: 2, activity: b1, latitude: halle.latitude, longitude: halle.longitude),
                        ActivityListing(id: 3, activity: sport, latitude: halle.latitude + 0.05, longitude: halle.longitude),
                        ActivityListing(id: 4, activity: boat, latitude: mechelen.latitude, longitude: mechelen.longitude),
                        ActivityListing(id: 5, activity: Self.walk(), latitude: nil, longitude: nil)]
        let d = ActivityFinder.distanceKm(halle, mechelen)
        #expect(abs(d - 36.676) < 0.01, "Halle–Mechelen, as the same formula in Python gives")
        let near = ActivityFinder.find(ActivityQuery(near: halle, radiusKm: 10, level: .a2, from: Day(2027, 1, 1)), in: listings)
        #expect(near.hits.map(\.listing.id) == [3, 1], "B1 is above an A2 speaker; Mechelen is too far; no place, no distance")
        #expect(near.hits.first?.next == Day(2027, 1, 5))
        let sports = ActivityFinder.find(ActivityQuery(category: .sport, from: Day(2027, 1, 1)), in: listings)
        #expect(sports.hits.map(\.listing.id) == [3])
        let arabic = ActivityFinder.find(ActivityQuery(from: Day(2027, 1, 1), language: "ar"), in: listings)
        #expect(arabic.hits.map(\.listing.id) == [4])
        let later = ActivityFinder.find(ActivityQuery(from: Day(2027, 7, 1), to: Day(2027, 9, 1)), in: listings)
        #expect(later.total == 0, "nothing after the walks end")
        let odd = ActivityQuery(radiusKm: .infinity, from: Day(2027, 1, 1), to: Day(2020, 1, 1), page: -3, perPage: 10_000)
        #expect(odd.radiusKm == 10 && odd.to == odd.from && odd.page == 1 && odd.perPage == 100)
        #expect(ActivityQuery(radiusKm: 5_000, from: Day(2027, 1, 1)).radiusKm == ActivityQuery.maximumRadiusKm)
    }

    /// The index reads only the latitude band a radius reaches; it must give what reading every listing gives.
    @Test func theIndexAnswersAsReadingEveryListing() {
        var seed: UInt64 = 2026
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        let start = Day(2027, 1, 4)
        var listings: [ActivityListing] = []
        for id in 1...3_000 {
            var a = Self.walk()
            a.category = ActivityCategory.allCases[Int(next() * 7) % 7]
            a.level = next() < 0.2 ? nil : CEFRLevel.allCases[Int(next() * 6) % 6]
            a.languages = next() < 0.3 ? ["ar"] : []
            if next() < 0.5 {
                a.schedule = ActivitySchedule(kind: .dates, dates: [start.adding(days: Int(next() * 60)).description],
                                              start: "10:00", end: "12:00")
            }
            let placed = next() < 0.95
            listings.append(ActivityListing(id: id, activity: a, latitude: placed ? 50.7 + next() * 0.8 : nil,
                                            longitude: placed ? 2.6 + next() * 3.3 : nil))
        }
        let index = ActivityIndex(listings.shuffled())
        for _ in 0..<200 {
            let near = next() < 0.85 ? (latitude: 50.7 + next() * 0.8, longitude: 2.6 + next() * 3.3) : nil
            let q = ActivityQuery(near: near, radiusKm: [0, 5, 10, 25, 50, 100][Int(next() * 6) % 6],
                                  level: next() < 0.3 ? nil : CEFRLevel.allCases[Int(next() * 6) % 6],
                                  category: next() < 0.2 ? nil : ActivityCategory.allCases[Int(next() * 7) % 7],
                                  from: start, to: start.adding(days: Int(next() * 40)),
                                  language: next() < 0.1 ? "ar" : nil, page: 1 + Int(next() * 3), perPage: 20)
            let all = ActivityFinder.find(q, in: listings), fast = index.find(q)
            #expect(all.total == fast.total)
            #expect(all.hits.map(\.listing.id) == fast.hits.map(\.listing.id))
        }
        #expect(index.replacing(id: 7, with: nil).count == 2_999 && index.listing(id: 7) != nil)
        for x in stride(from: -0.049, through: 0.049, by: 0.0007) { #expect(abs(ActivityIndex.sine(x) - sin(x)) < 2e-13) }
    }
}
