import Fluent
import Foundation
@testable import LivingTogetherApp
import Testing
import Vapor
import VaporTesting

extension AppTests {
    /// The public directory: the list with search, filters and pages; profiles; error pages.
    @Suite struct DirectoryPages {
        @Test func searchIgnoresCaseAndAccents() async throws {
            try await withTestApp { app in
                try await app.testing().test(.GET, "/directory?q=malmo") { res in
                    #expect(res.status == .ok)
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Malmö"])
                    #expect(res.body.string.contains("1 organisation found."), "one organisation, in the singular")
                }
                try await app.testing().test(.GET, "/directory?q=livadeia") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Livadeiá"])
                }
                try await app.testing().test(.GET, "/directory?q=MALM%C3%96") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Malmö"])
                }
                // A word's beginning is enough; several words must all match.
                try await app.testing().test(.GET, "/directory?q=baarle%20hert") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Baarle-Hertog"])
                }
                try await app.testing().test(.GET, "/directory?q=zzzz") { res in
                    #expect(res.status == .ok)
                    #expect(HTMLText.directoryNames(in: res.body.string).isEmpty)
                    #expect(res.body.string.contains("No organisation matches this search."))
                }
            }
        }

        @Test func listIsOrderedByPopulationAndFiltersByCountryAndSize() async throws {
            try await withTestApp { app in
                try await app.testing().test(.GET, "/directory") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string)
                        == ["Malmö", "Gent", "Lund", "Mechelen", "Livadeiá", "Baarle-Hertog", "Association of Flemish Municipalities"])
                    #expect(res.body.string.contains("7 organisations found."))
                }
                try await app.testing().test(.GET, "/directory?country=SE") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Malmö", "Lund"])
                    #expect(res.body.string.contains(#"<option value="SE" selected>Sweden</option>"#))
                }
                // Lower-case codes are read as upper-case ones.
                try await app.testing().test(.GET, "/directory?country=be") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Gent", "Mechelen", "Baarle-Hertog", "Association of Flemish Municipalities"])
                }
                // Size bands: m is 20,000 to 100,000; xs under 5,000; l 100,000 to 500,000.
                try await app.testing().test(.GET, "/directory?band=m") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Lund", "Mechelen", "Livadeiá"])
                }
                try await app.testing().test(.GET, "/directory?band=xs") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Baarle-Hertog"])
                }
                try await app.testing().test(.GET, "/directory?band=l&country=BE") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string) == ["Gent"])
                }
                try await app.testing().test(.GET, "/directory?q=gent&country=SE") { res in
                    #expect(HTMLText.directoryNames(in: res.body.string).isEmpty)
                }
                // Unknown filter values are ignored rather than failing.
                try await app.testing().test(.GET, "/directory?band=huge&country=Belgium&page=abc") { res in
                    #expect(res.status == .ok)
                    #expect(HTMLText.directoryNames(in: res.body.string).count == 7)
                }
            }
        }

        @Test func pagination() async throws {
            try await withTestApp { app in
                // 30 more Belgian places, so that the default 20 rows a page make 2 pages.
                var csv = "code,name,country,population\n"
                for i in 1...30 { csv += "T\(i),Testdorp \(String(format: "%02d", i)),BE,\(1000 + i)\n" }
                let report = try await DirectoryImporter(db: app.db).importText(csv, country: nil)
                #expect(report.inserted == 30)
                try await app.directoryIndex.rebuild(on: app.db)

                let page1 = try await app.testing().sendRequest(.GET, "/directory?country=BE")
                let names1 = HTMLText.directoryNames(in: page1.body.string)
                #expect(names1.count == 20)
                #expect(Array(names1.prefix(3)) == ["Gent", "Mechelen", "Baarle-Hertog"])
                #expect(page1.body.string.contains("34 organisations found."))
                #expect(page1.body.string.contains("Page 1 of 2"))
                #expect(!page1.body.string.contains(#"rel="prev""#))
                let next = try #require(HTMLText.first(#"<a href="([^"]+)" rel="next">"#, in: page1.body.string))
                #expect(HTMLText.unescape(next) == "/directory?country=BE&page=2")

                let page2 = try await app.testing().sendRequest(.GET, HTMLText.unescape(next))
                let names2 = HTMLText.directoryNames(in: page2.body.string)
                #expect(names2.count == 14)
                #expect(Set(names1).isDisjoint(with: names2))
                #expect(page2.body.string.contains("Page 2 of 2"))
                #expect(!page2.body.string.contains(#"rel="next""#))
                #expect(page2.body.string.contains(#"<a href="/directory?country=BE&amp;page=1" rel="prev">"#))

                // The search words travel with the page links.
                let search = try await app.testing().sendRequest(.GET, "/directory?q=testdorp")
                #expect(search.body.string.contains("30 organisations found."))
                #expect(search.body.string.contains(#"href="/directory?q=testdorp&amp;page=2" rel="next""#))

                // A page past the end shows the last page (30 + 1 Belgian organisations: page 2 of 2), never "page 9 of 2".
                let past = try await app.testing().sendRequest(.GET, "/directory?country=BE&page=9")
                #expect(past.status == .ok)
                #expect(!HTMLText.directoryNames(in: past.body.string).isEmpty)
                #expect(past.body.string.contains("Page 2 of 2") && !past.body.string.contains("Page 9"))
            }
        }

        @Test func profileShowsFactsAndTheGeoNamesCredit() async throws {
            try await withTestApp { app in
                let w = app.world
                try await app.testing().test(.GET, "/directory/\(w.malmo)") { res in
                    #expect(res.status == .ok)
                    let html = res.body.string
                    #expect(HTMLText.heading(in: html) == "Malmö")
                    #expect(html.contains("<dt>Country</dt><dd>Sweden</dd>"))
                    #expect(html.contains("<dt>Region</dt><dd>Skåne</dd>"))
                    #expect(html.contains("<dt>Population</dt><dd>301,706</dd>"))
                    #expect(html.contains("<dt>Size</dt><dd>100,000 to 500,000</dd>"))
                    #expect(html.contains("<dt>Time zone</dt><dd>Europe/Stockholm</dd>"))
                    #expect(html.contains("55.6059, 13.0007"))
                    #expect(html.contains("Places and population figures: GeoNames (CC BY 4.0)."))
                    // Anonymous visitors see neither the edit link nor the members.
                    #expect(!html.contains("Edit the profile"))
                    #expect(!html.contains("Members ("))
                }
                // An organisation created by hand is not credited to GeoNames.
                let org = Organisation(kind: .association, name: "Union of Test Towns", country: "BE")
                try await org.create(on: app.db)
                try await app.testing().test(.GET, "/directory/\(org.id!)") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("Association of municipalities"))
                    #expect(!res.body.string.contains("GeoNames"))
                }
                // In Dutch: numbers with dots, translated labels.
                try await app.testing().test(.GET, "/directory/\(w.malmo)", headers: ["Accept-Language": "nl-BE,nl;q=0.9"]) { res in
                    #expect(res.body.string.contains(#"<html lang="nl">"#))
                    #expect(res.body.string.contains("<dd>301.706</dd>"))
                    #expect(res.body.string.contains("Plaatsen en bevolkingscijfers: GeoNames (CC BY 4.0)."))
                }
            }
        }

        @Test func membersSeeTheirRightsOnTheProfile() async throws {
            try await withTestApp { app in
                let w = app.world
                let editor = try await Browser.signedIn(app, as: .editorA)
                let page = try await editor.get("/directory/\(w.orgA)")
                #expect(page.text.contains("Edit the profile"))
                #expect(page.text.contains("Members (3)"))
                let viewer = try await Browser.signedIn(app, as: .viewerA)
                let vpage = try await viewer.get("/directory/\(w.orgA)")
                #expect(!vpage.text.contains("Edit the profile"))
                #expect(vpage.text.contains("Members (3)"))
                let other = try await Browser.signedIn(app, as: .adminB)
                let opage = try await other.get("/directory/\(w.orgA)")
                #expect(!opage.text.contains("Edit the profile"))
                #expect(!opage.text.contains("Members ("))
            }
        }

        /// A list asked for with per_page keeps it on its page links, so "Next page" continues the same list.
        @Test func pageLinksKeepPerPage() async throws {
            try await withTestApp { app in
                let first = try await app.testing().sendRequest(.GET, "/directory?per_page=2")
                #expect(HTMLText.directoryNames(in: first.body.string) == ["Malmö", "Gent"])
                #expect(first.body.string.contains("Page 1 of 4"))
                let next = try #require(HTMLText.first(#"<a href="([^"]+)" rel="next">"#, in: first.body.string))
                let second = try await app.testing().sendRequest(.GET, HTMLText.unescape(next))
                #expect(HTMLText.directoryNames(in: second.body.string) == ["Lund", "Mechelen"], "followed \(HTMLText.unescape(next))")
            }
        }

        @Test func hugeOrOddPageNumbersAreNotAnError() async throws {
            try await withTestApp { app in
                for query in ["page=9223372036854775807", "page=-3", "page=0", "per_page=9223372036854775807&page=9223372036854775807",
                              "per_page=-1", "q=" + String(repeating: "a", count: 5000)] {
                    let page = try await app.testing().sendRequest(.GET, "/directory?\(query)")
                    #expect(page.status == .ok, "/directory?\(query.prefix(60))")
                    let api = try await app.testing().sendRequest(.GET, "/api/v1/organisations?\(query)")
                    #expect(api.status == .ok, "/api/v1/organisations?\(query.prefix(60))")
                }
            }
        }

        @Test func editorEditsTheProfileWithErrorsBesideTheFields() async throws {
            try await withTestApp { app in
                let w = app.world
                let editor = try await Browser.signedIn(app, as: .editorA)
                let form = try await editor.get("/directory/\(w.orgA)/edit")
                #expect(form.status == .ok)
                #expect(HTMLText.fieldValue("name", in: form.text) == "Mechelen")
                #expect(HTMLText.fieldValue("population", in: form.text) == "86921")

                let fields = [("name", "Mechelen"), ("country", "BE"), ("region", "Flanders"), ("population", "many"),
                              ("latitude", "51.02574"), ("longitude", ""), ("website", "www.mechelen.be"), ("description", "City on the Dijle")]
                let bad = try await editor.post("/directory/\(w.orgA)/edit", fields)
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("population", in: bad.text) == "\"many\" is not a whole number of inhabitants.")
                #expect(HTMLText.fieldError("longitude", in: bad.text) == "Give both latitude and longitude, or neither.")
                #expect(HTMLText.fieldError("website", in: bad.text) == "Enter an address that starts with https:// or http://.")
                #expect(HTMLText.fieldError("name", in: bad.text) == nil)
                // What was typed stays in the form; nothing is saved.
                #expect(HTMLText.fieldValue("population", in: bad.text) == "many")
                #expect(HTMLText.fieldValue("website", in: bad.text) == "www.mechelen.be")
                #expect(bad.text.contains(">City on the Dijle</textarea>"))
                #expect(try await Organisation.find(w.orgA, on: app.db)?.population == 86921)

                let good = [("name", "Mechelen"), ("country", "BE"), ("region", "Flanders"), ("population", "87 000"),
                            ("latitude", "51.02574"), ("longitude", "4.47762"), ("website", "https://www.mechelen.be"),
                            ("born_abroad_percent", "21,5"), ("budget_band", "medium"), ("description", "City on the Dijle")]
                let saved = try await editor.post("/directory/\(w.orgA)/edit", good)
                #expect(saved.status == .seeOther)
                #expect(saved.location == "/directory/\(w.orgA)")
                let profile = try await editor.get("/directory/\(w.orgA)")
                #expect(profile.text.contains("The profile has been saved."))
                #expect(profile.text.contains("<dd>87,000</dd>"))
                #expect(profile.text.contains("<dd>21.5 %</dd>"))
                #expect(profile.text.contains("<p>City on the Dijle</p>"))
                #expect(profile.text.contains(#"<a href="https://www.mechelen.be">https://www.mechelen.be</a>"#))
                let org = try #require(try await Organisation.find(w.orgA, on: app.db))
                #expect(org.population == 87000)
                #expect(org.bornAbroadPercent == 21.5)
                #expect(org.budgetBand == "medium")
            }
        }

        @Test func platformAdminCreatesAnOrganisation() async throws {
            try await withTestApp { app in
                let admin = try await Browser.signedIn(app, as: .platformAdmin)
                #expect(try await admin.get("/directory").text.contains("Add an organisation"))
                let form = try await admin.get("/organisations/new")
                #expect(form.status == .ok)
                let bad = try await admin.post("/organisations/new", [("kind", "club"), ("name", ""), ("country", "")])
                #expect(bad.status == .unprocessableEntity)
                #expect(HTMLText.fieldError("name", in: bad.text) == "Enter a name.")
                #expect(HTMLText.fieldError("country", in: bad.text) == "Choose a country.")
                let r = try await admin.post("/organisations/new", [("kind", "network"), ("name", "Eurocities Test Network"), ("country", "BE")])
                #expect(r.status == .seeOther)
                let org = try #require(try await Organisation.query(on: app.db).filter(\.$name == "Eurocities Test Network").first())
                #expect(r.location == "/directory/\(org.id!)")
                #expect(org.kind == "network")
                // It is in the directory at once.
                let list = try await admin.get("/directory?q=eurocities")
                #expect(HTMLText.directoryNames(in: list.text) == ["Eurocities Test Network"])
                #expect(try await admin.get("/directory?kind=network").text.contains("Eurocities Test Network"))
            }
        }

        @Test func unknownOrganisationIsA404Page() async throws {
            try await withTestApp { app in
                for path in ["/directory/999999", "/directory/not-a-number", "/no/such/page"] {
                    try await app.testing().test(.GET, path) { res in
                        #expect(res.status == .notFound, "\(path)")
                        #expect(res.headers.contentType == .html)
                        #expect(HTMLText.heading(in: res.body.string) == "Page not found")
                        #expect(res.body.string.contains("There is no page at this address."))
                    }
                }
            }
        }

        @Test func errorPageIsInDutchForDutchBrowsers() async throws {
            try await withTestApp { app in
                try await app.testing().test(.GET, "/directory/999999", headers: ["Accept-Language": "nl"]) { res in
                    #expect(res.status == .notFound)
                    #expect(res.headers.first(name: "Content-Language") == "nl")
                    #expect(res.body.string.contains(#"<html lang="nl">"#))
                    #expect(HTMLText.heading(in: res.body.string) == "Pagina niet gevonden")
                    #expect(res.body.string.contains("Op dit adres staat geen pagina."))
                }
                // The remembered choice (language cookie) wins over the browser's header.
                let b = Browser(app, acceptLanguage: "nl")
                _ = try await b.get("/")
                let r = try await b.post("/language", [("language", "en"), ("return_to", "/directory")])
                #expect(r.status == .seeOther)
                #expect(r.location == "/directory")
                let page = try await b.get("/directory/999999")
                #expect(HTMLText.heading(in: page.text) == "Page not found")
            }
        }
    }
}
