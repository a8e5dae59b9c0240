import Foundation
import Testing
@testable import LivingTogetherCore

@Suite struct EventTests {
    static func shipped() throws -> EventLibrary {
        let url = try #require(ShippedEvents.url())
        guard case .success(let library) = EventLoader.load(try Data(contentsOf: url), file: "events.v1.json") else {
            Issue.record("the shipped events do not load")
            throw CancellationError()
        }
        return library
    }

    static func mechelen() throws -> Event {
        try #require(try shipped().events.first { $0.id.hasPrefix("mechelen-2024") })
    }

    @Test func timesAreReadAsTheProgrammePrintsThemAndPlacedInTheEventsZone() throws {
        let t = try #require(LocalDateTime("2024-04-19T10:15"))
        #expect(t.day == Day(2024, 4, 19) && t.minute == 615 && t.clock == "10:15")
        #expect(LocalDateTime("2024-04-19 10:15:00") == t)
        for bad in ["2024-04-19T24:00", "2024-13-01T09:00", "2024-02-30T09:00", "10:15", "", "2024-04-19T9:00", "x024-04-19T09:00"] {
            #expect(LocalDateTime(bad) == nil, "\(bad)")
        }
        // 10:15 in Brussels in April (summer time) is 08:15 UTC; in February (winter time) 09:15.
        #expect(ICalendar.utc(try #require(t.date(in: "Europe/Brussels"))) == "20240419T081500Z")
        #expect(ICalendar.utc(try #require(LocalDateTime("2012-02-08T05:00")?.date(in: "America/Toronto"))) == "20120208T100000Z")
        #expect(t.date(in: "Mars/Olympus") == nil)
        #expect(Day(2024, 2, 28).adding(days: 1) == Day(2024, 2, 29) && Day(2023, 12, 31).adding(days: 1) == Day(2024, 1, 1))
        #expect(Day(2024, 4, 19).days(since: Day(2024, 1, 1)) == 109 && Day(dayNumber: 0) == Day(1970, 1, 1))
    }

    @Test func theShippedConferenceIsWholeWithItsRoomsAndTheirAccess() throws {
        let library = try Self.shipped()
        #expect(library.events.count >= 2)
        let e = try Self.mechelen()
        #expect(e.sessions.count >= 24 && e.timeZone == "Europe/Brussels")
        let zalm = try #require(e.rooms.first { $0.name == "De Zalm" })
        #expect(zalm.stepFree == false, "De Zalm is only accessible by stairs")
        let bystander = try #require(e.session("bystander-training"))
        #expect(e.room(bystander.room)?.name == "Herten Aas" && bystander.speakers.map(\.name) == ["Paul Storme"])
        #expect(bystander.practices.contains("active-bystander-training-gent"))
        let speakers = Set(e.sessions.flatMap(\.speakers).map(\.name))
        #expect(speakers.contains("Gwendolyn Rutten") && speakers.contains("Jukka Mäkelä") && speakers.count >= 28)
        let webinar = try #require(library.events.first { $0.kind == .webinar })
        #expect(webinar.start.day == Day(2012, 2, 8) && webinar.sessions.flatMap(\.speakers).contains { $0.name == "Naima Charkaoui" })
    }

    @Test func aDocumentsProblemsAreNamedWithTheirPlace() throws {
        var e = try Self.mechelen()
        e.timeZone = "Europe/Mechelen"
        e.sessions[0].room = "ballroom"
        e.sessions[1].end = e.sessions[1].start
        e.sessions[2].start = try #require(LocalDateTime("2024-04-18T09:00"))
        e.sessions[3].materials = [Event.Material(kind: .slides, title: "Slides", url: "javascript:alert(1)")]
        e.sessions.append(e.sessions[4])
        var c = ContentChecker(file: "doc")
        EventLoader.check(e, "", into: &c, practices: [])
        let problems = c.errors.map { "\($0.path): \($0.problem)" }
        #expect(problems.contains { $0.hasPrefix("timeZone:") })
        #expect(problems.contains { $0.hasPrefix("sessions[0].room:") && $0.contains("ballroom") })
        #expect(problems.contains { $0.hasPrefix("sessions[1].end:") })
        #expect(problems.contains { $0.hasPrefix("sessions[2].start:") && $0.contains("outside the event") })
        #expect(problems.contains { $0.hasPrefix("sessions[3].materials[0].url:") })
        #expect(problems.contains { $0.contains("duplicate id") })
        #expect(problems.contains { $0.contains("is not a record of the library") }, "practices are checked against the library")
        guard case .failure(let p) = EventLoader.loadEvent(Data(#"{"id": "x", "start": "soon"}"#.utf8), file: "doc") else {
            Issue.record("a broken document was accepted"); return
        }
        #expect(!p.errors.isEmpty)
    }

    @Test func theGridHasARowPerStartTimeAndAColumnPerRoom() throws {
        let e = try Self.mechelen()
        let grid = EventGrid(e, elsewhere: "Elsewhere")
        let day = try #require(grid.days.first)
        #expect(grid.days.count == 1)
        #expect(day.columns.map(\.name).starts(with: ["Central hall", "Auditorium"]) && day.columns.last?.name == "Elsewhere")
        let tenFifteen = try #require(day.rows.first { $0.start.clock == "10:15" })
        let dijle = try #require(day.columns.firstIndex { $0.name == "Dijlezaal" })
        #expect(tenFifteen.cells[dijle].map(\.id) == ["city-to-city-mentoring"])
        #expect(day.rows.map(\.start) == day.rows.map(\.start).sorted(), "rows in time order")
        #expect(day.rows.reduce(0) { $0 + $1.cells.reduce(0) { $0 + $1.count } } == e.sessions.count, "every session once")
    }

    @Test func placesGoInOrderAndTheWaitingListMovesUpInOrder() {
        #expect(EventSeats.status(capacity: nil, taken: 500, waiting: 0) == .registered)
        #expect(EventSeats.status(capacity: 3, taken: 2, waiting: 0) == .registered)
        #expect(EventSeats.status(capacity: 3, taken: 3, waiting: 0) == .waiting)
        #expect(EventSeats.status(capacity: 3, taken: 2, waiting: 1) == .waiting, "nobody jumps the queue")
        #expect(EventSeats.promoted(capacity: 3, taken: 2, waitingInOrder: ["a", "b"]) == ["a"])
        #expect(EventSeats.promoted(capacity: 3, taken: 5, waitingInOrder: ["a"]).isEmpty)
        #expect(EventSeats.promoted(capacity: nil, taken: 5, waitingInOrder: ["a", "b"]) == ["a", "b"])
    }

    @Test func accessRequestsAreCountedForTheOrganiser() {
        let s = AccessibilityNeeds.summarise([
            AccessibilityNeeds(signLanguage: .vgt, stepFree: true), AccessibilityNeeds(signLanguage: .vgt, diet: "Halal"),
            AccessibilityNeeds(hearingLoop: true, other: "A seat near the front"), AccessibilityNeeds(), AccessibilityNeeds(diet: ""),
        ])
        #expect(s.people == 3 && s.signLanguages[.vgt] == 2 && s.stepFree == 1 && s.hearingLoop == 1)
        #expect(s.diets == ["Halal"] && s.others == ["A seat near the front"])
    }

    @Test func calendarTextIsEscapedAndFoldedWithoutSplittingACharacter() {
        let long = String(repeating: "é", count: 100)
        let cal = ICalendar(name: "Day; one, two", items: [
            .init(uid: "a@x", start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 3600),
                  summary: "Meet, talk; learn\\", description: "Line one\nLine two " + long),
        ], stamp: Date(timeIntervalSince1970: 0)).text
        #expect(cal.contains("X-WR-CALNAME:Day\\; one\\, two\r\n") && cal.contains("SUMMARY:Meet\\, talk\\; learn\\\\\r\n"))
        #expect(cal.contains("DTSTART:19700101T000000Z") && cal.contains("DTEND:19700101T010000Z"))
        for line in cal.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "\(line)")
        }
        let unfolded = cal.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("DESCRIPTION:Line one\\nLine two " + long))
    }

    @Test func theFrabScheduleHasEverySessionWithItsDuration() throws {
        let e = try Self.mechelen()
        let frab = FrabSchedule(e, base: "https://lt.example", slug: e.id, language: "en", version: "1")
        #expect(frab.days.first?.slots.count == e.sessions.count)
        #expect(frab.xml.components(separatedBy: "<event guid=").count - 1 == e.sessions.count)
        #expect(frab.xml.contains("<duration>01:45</duration>") && frab.xml.contains("<start>10:15</start>"))
        #expect(frab.xml.contains("date=\"2024-04-19\" start=\"2024-04-19T08:15:00+02:00\""))
        #expect(FrabSchedule.guid("a") == FrabSchedule.guid("a") && FrabSchedule.guid("a") != FrabSchedule.guid("b"))
        #expect(FrabSchedule.guid("a").count == 36)
        #expect(FrabSchedule.xmlEscape("a<b & \u{1}c") == "a&lt;b &amp; c")
    }
}
