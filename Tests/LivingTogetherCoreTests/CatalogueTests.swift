import Foundation
import Testing
@testable import LivingTogetherCore

/// The plans module's content: catalogues load and broken ones name the place of each problem.
@Suite struct CatalogueLoaderTests {
    @Test func thePlanLivingTogetherLoads() throws {
        let catalogue = try CatalogueLoader.load(try CatalogueFixture.data(), file: "plan-living-together.v1.json").get()
        #expect(catalogue.objectives.count == 7)
        #expect(catalogue.actions.count == 24)
        #expect(catalogue.objectives.allSatisfy { $0.actions.count >= 2 })
        let polarisation = try #require(catalogue.actions.first { $0.funding?.amountPerUnit == 12_500 })
        #expect(polarisation.funding?.cap == 1)
    }

    @Test func brokenCataloguesNameThePlace() throws {
        var doc = try #require(try JSONSerialization.jsonObject(with: try CatalogueFixture.data()) as? [String: Any])
        var objectives = try #require(doc["objectives"] as? [[String: Any]])
        var actions = try #require(objectives[1]["actions"] as? [[String: Any]])
        actions[0]["id"] = (objectives[0]["actions"] as! [[String: Any]])[0]["id"]
        actions[1]["title"] = ["en": "Only English"]
        objectives[1]["actions"] = actions
        doc["objectives"] = objectives
        doc["period"] = ["start": "2025-01-01", "end": "2022-12-31"]
        let data = try JSONSerialization.data(withJSONObject: doc)
        switch CatalogueLoader.load(data, file: "broken.json") {
        case .success: Issue.record("a broken catalogue loaded")
        case .failure(let p):
            let messages = p.errors.map(\.description)
            #expect(messages.contains("broken.json: period.end: the period ends before it starts"))
            #expect(messages.contains { $0.hasPrefix("broken.json: objectives[1].actions[0].id: duplicate id") && $0.contains("objectives[0].actions[0]") })
            #expect(messages.contains("broken.json: objectives[1].actions[1].title.nl: the Dutch translation is missing"))
        }
    }
}

/// The shipped catalogue file, read from the domain library's resources.
enum CatalogueFixture {
    static func data() throws -> Data {
        let url = try #require(Catalogues.url(of: "plan-living-together.v1"))
        return try Data(contentsOf: url)
    }
}
