import Fluent
import Foundation
@testable import LivingTogetherApp
import LivingTogetherCore
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// Events: the programme grid, registration with waiting lists and access requests, the organiser's pages, the
    /// personal agenda and its feed, the exports, and writing an event's document.
    @Suite struct Events {
        static let mechelen = "/events/mechelen-2024-local-government-approaches-to-diversity"

        /// A signed-in new person.
        static func person(_ app: Application, _ name: String) async throws -> (browser: Browser, id: Int, email: String) {
            let email = "\(name)-\(UUID().uuidString.prefix(6).lowercased())@example.org"
            let made = try await app.makeUser(email: email, name: name.capitalized)
            let b = Browser(app)
            _ = try await b.signIn(email: email)
            return (b, made.user, email)
        }

        @Test func theShippedConferenceShowsItsProgrammeAsAGridAndAList() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                try await EventUseCases.syncShipped(on: app.db, logger: app.logger)
                let page = try await Browser(app).get(Self.mechelen)
                #expect(page.status == .ok)
                #expect(page.text.contains("<caption>Programme of 19 April 2024: rooms across, start times down</caption>"))
                #expect(page.text.contains("<th scope=\"col\">Dijlezaal</th>") && page.text.contains("<th scope=\"row\">10:15</th>"))
                #expect(page.text.contains("<ol class=\"grid-list\""), "the list a phone shows")
                #expect(page.text.contains("De Zalm") && page.text.contains("only accessible by stairs"))
                #expect(page.text.contains("This event has ended"), "registration is closed for a past event")
                #expect(!page.text.contains("action=\"\(Self.mechelen)/registration\""))
                let ld = try #require(HTMLText.first(#"<script type="application/ld\+json">(.*?)</script>"#, in: page.text))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(ld.utf8)) as? [String: Any])
                #expect(object["@type"] as? String == "Event" && object["startDate"] as? String == "2024-04-19T08:15:00+02:00")
                #expect((object["subEvent"] as? [Any])?.count == 24)
                let session = try await Browser(app).get(Self.mechelen + "/sessions/bystander-training")
                #expect(session.text.contains("Paul Storme") && session.text.contains("/knowledge/active-bystander-training-gent"))
                let dutch = try await Browser(app, acceptLanguage: "nl").get(Self.mechelen)
                #expect(dutch.text.contains("Programma van 19 april 2024"))
                #expect(try await Browser(app).get("/events/no-such-event").status == .notFound)
                #expect(try await Browser(app).get(Self.mechelen + "/sessions/nothing").status == .notFound)
            }
        }

        @Test func aFullSessionHasAWaitingListThatMovesUpInOrderWithAMessage() async throws {
            try await withTestApp { app in
                let row = try await app.makeEvent(owner: app.world.orgA)
                let workshop = "/events/\(row.slug)/sessions/openblik-workshop"
                var people: [(browser: Browser, id: Int, email: String)] = []
                for name in ["ann", "bob", "cem", "dora", "eli"] { people.append(try await Self.person(app, name)) }
                for p in people {
                    let r = try await p.browser.post(workshop + "/registration")
                    #expect(r.status == .seeOther)
                }
                let stored = try await EventRegistration.query(on: app.db).filter(\.$event.$id == row.requireID())
                    .filter(\.$session == "openblik-workshop").sort(\.$requestedAt).all()
                #expect(stored.map(\.status) == ["registered", "registered", "registered", "waiting", "waiting"])
                let dora = try await people[3].browser.get(workshop)
                #expect(dora.text.contains("You are on this session&#39;s waiting list") || dora.text.contains("waiting list"))
                #expect(dora.text.contains("0 of 3 places free") && dora.text.contains("2 on the waiting list"))
                // The event's registration was made with the session's.
                #expect(try await EventRegistration.query(on: app.db).filter(\.$session == "").count() == 5)
                // Bob cancels: Dora (first waiting) gets the place and a message; Eli still waits.
                let cancel = try await people[1].browser.post(workshop + "/registration/cancel")
                #expect(cancel.status == .seeOther)
                let after = try await EventRegistration.query(on: app.db).filter(\.$session == "openblik-workshop").all()
                let by = Dictionary(lastOf: after.map { ($0.$user.id, $0.status) })
                #expect(by[people[1].id] == "cancelled" && by[people[3].id] == "registered" && by[people[4].id] == "waiting")
                let mail = try await OutboxMessage.query(on: app.db).filter(\.$recipient == people[3].email).all()
                #expect(mail.count == 1 && mail.first?.subject.hasPrefix("A place for you: Workshop: the OpenBlik exercises") == true)
                #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == people[4].email).count() == 0)
                // Cancelling the event cancels the person's sessions too, and moves Eli up.
                _ = try await people[0].browser.post("/events/\(row.slug)/registration/cancel")
                let ann = try await EventRegistration.query(on: app.db).filter(\.$user.$id == people[0].id).all()
                #expect(ann.allSatisfy { $0.status == "cancelled" } && ann.count == 2)
                let eli = try await EventRegistration.query(on: app.db).filter(\.$user.$id == people[4].id)
                    .filter(\.$session == "openblik-workshop").first()
                #expect(eli?.status == "registered")
                // Registering again puts a person at the back of the queue (the workshop is full again).
                _ = try await people[0].browser.post(workshop + "/registration")
                let back = try await EventRegistration.query(on: app.db).filter(\.$user.$id == people[0].id)
                    .filter(\.$session == "openblik-workshop").first()
                #expect(back?.status == "waiting")
            }
        }

        @Test func accessRequestsAreCheckedStoredAndSummarisedForTheOrganiser() async throws {
            try await withTestApp { app in
                let row = try await app.makeEvent(owner: app.world.orgA)
                let path = "/events/\(row.slug)"
                let (b, id, _) = try await Self.person(app, "fatima")
                let bad = try await b.post(path + "/registration", [("sign_language", "klingon"), ("diet", "Vegan"),
                                                                    ("other", String(repeating: "x", count: 501))])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("sign_language", in: bad.text) != nil && HTMLText.fieldError("other", in: bad.text) != nil)
                #expect(HTMLText.fieldValue("diet", in: bad.text) == "Vegan", "what was typed is kept")
                #expect(try await EventRegistration.query(on: app.db).filter(\.$user.$id == id).count() == 0, "nothing stored")
                let good = try await b.post(path + "/registration", [("sign_language", "vgt"), ("hearing_loop", "yes"), ("diet", "Vegan")])
                #expect(good.status == .seeOther)
                let stored = try #require(try await EventRegistration.query(on: app.db).filter(\.$user.$id == id).first())
                #expect(stored.accessibility == AccessibilityNeeds(signLanguage: .vgt, hearingLoop: true, diet: "Vegan"))
                let page = try await b.get(path)
                #expect(page.text.contains("You are registered for this event."))
                let organiser = try await Browser.signedIn(app, as: .editorA)
                let summary = try await organiser.get(path + "/registrations")
                #expect(summary.status == .ok)
                let text = HTMLText.plainText(summary.text)
                #expect(text.contains("Flemish Sign Language: 1") && text.contains("Hearing loop: 1") && text.contains("Diet: Vegan"))
                #expect(text.contains("1 person with a place asked for something."))
                let csv = try await organiser.get(path + "/registrations.csv")
                #expect(csv.text.contains("Fatima") && csv.text.contains(",vgt,yes,,Vegan,"))
                // Someone else's organiser may not read them.
                #expect(try await Browser.signedIn(app, as: .adminB).get(path + "/registrations").status == .forbidden)
            }
        }

        @Test func registrationIsClosedForPastDraftAndCancelledEvents() async throws {
            try await withTestApp { app in
                let past = try await app.makeEvent(owner: app.world.orgA, startingIn: -10)
                let b = try await Browser.signedIn(app, as: .viewerA)
                let r = try await b.post("/events/\(past.slug)/registration")
                #expect(r.status == .conflict && r.text.contains("This event has ended: registration is closed."))
                let cancelled = try await app.makeEvent(owner: app.world.orgA, status: .cancelled)
                let c = try await b.post("/events/\(cancelled.slug)/sessions/welcome/registration")
                #expect(c.status == .conflict && c.text.contains("not open for registration"))
                #expect(try await b.get("/events/\(cancelled.slug)").text.contains("This event was cancelled."))
                let draft = try await app.makeEvent(owner: app.world.orgA, status: .draft)
                #expect(try await b.get("/events/\(draft.slug)").status == .ok, "a member of the organiser sees its draft")
                #expect(try await Browser.signedIn(app, as: .adminB).get("/events/\(draft.slug)").status == .forbidden)
                #expect(try await Browser(app).get("/events").text.contains(draft.slug) == false)
                let open = try await app.makeEvent(owner: app.world.orgA)
                let coffee = try await b.post("/events/\(open.slug)/sessions/coffee/registration")
                #expect(coffee.status == .conflict, "a break takes no registrations")
                #expect(try await EventRegistration.query(on: app.db).count() == 0)
            }
        }

        @Test func theAgendaFeedFollowsThePersonsSessions() async throws {
            try await withTestApp { app in
                let row = try await app.makeEvent(owner: app.world.orgA)
                let (b, _, _) = try await Self.person(app, "gus")
                _ = try await b.post("/events/\(row.slug)/sessions/openblik-workshop/registration")
                let agenda = try await b.get("/events/agenda")
                #expect(agenda.text.contains("Workshop: the OpenBlik exercises"))
                let made = try await b.post("/events/agenda/feed")
                let url = try #require(HTMLText.first(#"id="feed-url" type="text" readonly value="([^"]+)""#, in: made.text))
                let path = try #require(url.range(of: "/events/agenda/").map { String(url[$0.lowerBound...]) })
                let feed = try await Browser(app).get(path)
                #expect(feed.status == .ok && feed.headers.contentType?.subType == "calendar")
                #expect(feed.text.contains("UID:\(row.slug).openblik-workshop@") && feed.text.contains("BEGIN:VCALENDAR"))
                // Shown once: the agenda page later only says there is one; a new address ends the old one.
                #expect(!(try await b.get("/events/agenda")).text.contains(path))
                _ = try await b.post("/events/agenda/feed")
                #expect(try await Browser(app).get(path).status == .notFound)
                #expect(try await Browser(app).get("/events/agenda/\(String(repeating: "a", count: 5000))/calendar.ics").status == .notFound)
            }
        }

        @Test func theExportsCarryEverySession() async throws {
            try await withTestApp { app in
                try await EventUseCases.syncShipped(on: app.db, logger: app.logger)
                let ics = try await Browser(app).get(Self.mechelen + "/calendar.ics")
                #expect(ics.headers.contentType?.subType == "calendar")
                #expect(ics.text.components(separatedBy: "BEGIN:VEVENT").count - 1 == 24)
                #expect(ics.text.contains("DTSTART:20240419T081500Z"), "10:15 in Brussels")
                let one = try await Browser(app).get(Self.mechelen + "/sessions/bystander-training/calendar.ics")
                #expect(one.text.components(separatedBy: "BEGIN:VEVENT").count == 2)
                let xml = try await Browser(app).get(Self.mechelen + "/schedule.xml")
                #expect(xml.headers.contentType?.subType == "xml" && xml.text.contains("<title>Bystander training</title>"))
                let json = try await Browser(app).get(Self.mechelen + "/schedule.json")
                let object = try #require(json.json)
                let schedule = try #require(object["schedule"] as? [String: Any])
                let conference = try #require(schedule["conference"] as? [String: Any])
                #expect(conference["time_zone_name"] as? String == "Europe/Brussels")
            }
        }

        @Test func anEventIsWrittenAsADocumentWithItsProblemsNamed() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let editor = try await Browser.signedIn(app, as: .editorA)
                var doc = try #require(try JSONSerialization.jsonObject(with: Data(try Application.eventDocument(slug: "our-walk-2027").utf8))
                    as? [String: Any])
                var sessions = try #require(doc["sessions"] as? [[String: Any]])
                sessions[0]["room"] = "ballroom"
                doc["sessions"] = sessions
                let broken = String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self)
                let refused = try await editor.post("/events/new", [("owner", String(app.world.orgA)), ("json", broken)])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.text.contains("sessions[0].room: \u{201C}ballroom\u{201D}") || refused.text.contains("sessions[0].room: &quot;ballroom&quot;"))
                #expect(refused.text.contains("ballroom"), "the pasted text is kept")
                #expect(try await EventRow.query(on: app.db).count() == 0)
                let reserved = try await editor.post("/events/new", [("owner", String(app.world.orgA)),
                                                                    ("json", try Application.eventDocument(slug: "agenda"))])
                #expect(reserved.status == .unprocessableEntity && reserved.text.contains("a word the site"))
                let made = try await editor.post("/events/new", [("owner", String(app.world.orgA)),
                                                                ("json", try Application.eventDocument(slug: "our-walk-2027"))])
                #expect(made.status == .seeOther && made.location == "/events/our-walk-2027")
                let row = try #require(try await EventRow.query(on: app.db).filter(\.$slug == "our-walk-2027").first())
                #expect(row.eventStatus == .draft && row.$owner.id == app.world.orgA)
                let anonymous = try await Browser(app).get("/events/our-walk-2027")
                #expect(anonymous.location?.hasPrefix("/sign-in") == true, "a draft is not public")
                let taken = try await editor.post("/events/new", [("owner", String(app.world.orgA)),
                                                                 ("json", try Application.eventDocument(slug: "our-walk-2027"))])
                #expect(taken.status == .unprocessableEntity && taken.text.contains("already exists"))
                // Published, someone registers for the workshop; then the workshop cannot be taken out of the document.
                _ = try await editor.post("/events/our-walk-2027/status", [("to", "published")])
                _ = try await Browser.signedIn(app, as: .viewerA).post("/events/our-walk-2027/sessions/openblik-workshop/registration")
                var event = try row.event()
                event.sessions.removeAll { $0.id == "openblik-workshop" }
                let without = try await editor.post("/events/our-walk-2027/edit", [("json", try ContentJSON.encode(event))])
                #expect(without.status == .unprocessableEntity && without.text.contains("has registrations"))
                event.id = "another-address"
                let moved = try await editor.post("/events/our-walk-2027/edit", [("json", try ContentJSON.encode(event))])
                #expect(moved.status == .unprocessableEntity && moved.text.contains("cannot change"))
                #expect(try await Browser.signedIn(app, as: .adminB).post("/events/new", [("owner", String(app.world.orgA)),
                                                                                       ("json", "{}")]).status == .forbidden)
            }
        }

        @Test func materialsAndTheFollowUpComeAfterwards() async throws {
            try await withTestApp { app in
                let row = try await app.makeEvent(owner: app.world.orgA, attendee: true)
                try await app.loadLibrary()
                let editor = try await Browser.signedIn(app, as: .editorA)
                let session = "/events/\(row.slug)/sessions/openblik-workshop"
                let bad = try await editor.post(session + "/materials", [("kind", "film"), ("title", ""), ("url", "ftp://x")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("kind", in: bad.text) != nil && HTMLText.fieldError("title", in: bad.text) != nil)
                #expect(HTMLText.fieldError("url", in: bad.text) == "Give a web address starting with https:// (or http://).")
                let good = try await editor.post(session + "/materials", [("kind", "slides"), ("title", "The three steps"),
                                                                         ("url", "https://example.org/steps.pdf"),
                                                                         ("practice", "diest-four-principles-inclusive-communication")])
                #expect(good.status == .seeOther)
                let page = try await Browser(app).get(session)
                #expect(page.text.contains("<a href=\"https://example.org/steps.pdf\">The three steps</a>"))
                #expect(page.text.contains("/knowledge/diest-four-principles-inclusive-communication"))
                let empty = try await editor.post("/events/\(row.slug)/follow-up", [("subject", ""), ("body", "Thanks")])
                #expect(empty.status == .unprocessableEntity && HTMLText.fieldError("subject", in: empty.text) != nil)
                #expect(HTMLText.fieldValue("subject", in: empty.text) == "" && empty.text.contains("Thanks"))
                let before = try await OutboxMessage.query(on: app.db).count()
                let sent = try await editor.post("/events/\(row.slug)/follow-up", [("subject", "Thank you"), ("body", "The slides are online.")])
                #expect(sent.status == .seeOther)
                #expect(try await OutboxMessage.query(on: app.db).count() == before + 1)
                #expect(try await EventMessage.query(on: app.db).first()?.recipients == 1)
                #expect(try await editor.get("/events/\(row.slug)/follow-up").text.contains("Thank you"))
            }
        }

        @Test func theAPIWritesEventsAndRegistersPeople() async throws {
            try await withTestApp { app in
                try await app.loadLibrary()
                let editor = APIClient(app: app, token: try await Browser.signedIn(app, as: .editorA).createAPIToken())
                let broken = try await editor.send(.POST, "/api/v1/events?owner=\(app.world.orgA)", text: #"{"id": "x-walk", "kind": "party"}"#)
                #expect(broken.status == .unprocessableEntity)
                #expect(broken.text.contains("\"problems\"") && broken.text.contains("kind"))
                let made = try await editor.send(.POST, "/api/v1/events?owner=\(app.world.orgA)",
                                                 text: try Application.eventDocument(slug: "api-walk-2027"))
                #expect(made.status == .created && made.headers.first(name: .location) == "/api/v1/events/api-walk-2027")
                #expect((made.json?["status"] as? String) == "draft")
                #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/events/api-walk-2027").status == .unauthorized)
                let published = try await editor.send(.POST, "/api/v1/events/api-walk-2027/status", json: ["status": "published"])
                #expect(published.status == .ok && (published.json?["status"] as? String) == "published")
                let list = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/events")
                let items = try #require(list.json?["items"] as? [[String: Any]])
                let entry = try #require(items.first { $0["slug"] as? String == "api-walk-2027" })
                #expect((entry["sessions"] as? [Any])?.count == 4)
                // A person registers through the API: a bad request is named; the full workshop puts the fourth on its list.
                let viewer = APIClient(app: app, token: try await Browser.signedIn(app, as: .viewerA).createAPIToken())
                let bad = try await viewer.send(.POST, "/api/v1/events/api-walk-2027/registrations", json: ["sign_language": "klingon"])
                #expect(bad.status == .unprocessableEntity && bad.text.contains("sign_language"))
                #expect(try await EventRegistration.query(on: app.db).count() == 0)
                for _ in 0..<3 {
                    let user = try await app.makeUser()
                    _ = try await EventUseCases.register(try #require(try await EventRow.query(on: app.db).first()),
                                                         try #require(try await EventRow.query(on: app.db).first()).event(),
                                                         session: "openblik-workshop", userID: user.user, needs: nil, on: app.db)
                }
                let mine = try await viewer.send(.POST, "/api/v1/events/api-walk-2027/registrations",
                                                 json: ["session": "openblik-workshop", "step_free": true])
                #expect(mine.status == .created && (mine.json?["status"] as? String) == "waiting")
                let agenda = try await viewer.send(.GET, "/api/v1/me/agenda")
                #expect((agenda.json?["items"] as? [[String: Any]])?.first?["status"] as? String == "waiting")
                let regs = try await editor.send(.GET, "/api/v1/events/api-walk-2027/registrations")
                let needs = try #require(regs.json?["needs"] as? [String: Any])
                #expect(needs["step_free"] as? Int == 1)
                let places = try #require(regs.json?["places"] as? [[String: Any]])
                #expect(places.contains { $0["session"] as? String == "openblik-workshop" && $0["waiting"] as? Int == 1 })
                #expect(try await viewer.send(.GET, "/api/v1/events/api-walk-2027/registrations").status == .forbidden)
                #expect(try await viewer.send(.DELETE, "/api/v1/events/api-walk-2027/registrations/mine").status == .noContent)
                #expect(try await viewer.send(.DELETE, "/api/v1/events/api-walk-2027/registrations/mine").status == .notFound)
                // The document is replaced whole; its address cannot change.
                var doc = try #require(try JSONSerialization.jsonObject(with: Data(try Application.eventDocument(slug: "api-walk-2027").utf8))
                    as? [String: Any])
                doc["organiser"] = "Mechelen, diversity team"
                let replaced = try await editor.send(.PUT, "/api/v1/events/api-walk-2027",
                                                     text: String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self))
                #expect(replaced.status == .ok && replaced.text.contains("Mechelen, diversity team"))
                doc["id"] = "elsewhere"
                let moved = try await editor.send(.PUT, "/api/v1/events/api-walk-2027",
                                                  text: String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self))
                #expect(moved.status == .unprocessableEntity)
            }
        }
    }
}
