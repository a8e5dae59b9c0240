import Fluent
import LivingTogetherCore
import Vapor

/// An organisation of any kind; municipalities carry the profile facts that comparison and matching need.
final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    /// The name folded for search (lower case, no accents).
    @Field(key: "search_name") var searchName: String
    @Field(key: "slug") var slug: String
    @Field(key: "country") var country: String
    @OptionalField(key: "region") var region: String?
    @OptionalField(key: "population") var population: Int?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalField(key: "timezone") var timezone: String?
    /// Stable id in the source it was imported from ("geonames:2791537"); nil when created by hand.
    @OptionalField(key: "source_key") var sourceKey: String?
    /// Its other names ("Antwerpen; Anvers"), found by the directory's search.
    @OptionalField(key: "alternate_names") var alternateNames: String?
    @OptionalField(key: "born_abroad_percent") var bornAbroadPercent: Double?
    @OptionalField(key: "languages") var languages: String?
    @OptionalField(key: "budget_band") var budgetBand: String?
    @OptionalField(key: "website") var website: String?
    @OptionalField(key: "description") var summary: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(kind: OrganisationKind, name: String, country: String, region: String? = nil, population: Int? = nil,
         latitude: Double? = nil, longitude: Double? = nil, sourceKey: String? = nil) {
        self.kind = kind.rawValue
        self.name = name
        self.searchName = SearchText.fold(name)
        self.slug = Slug.make(name)
        self.country = country
        self.region = region
        self.population = population
        self.latitude = latitude
        self.longitude = longitude
        self.sourceKey = sourceKey
    }

    var organisationKind: OrganisationKind { OrganisationKind(rawValue: kind) ?? .municipality }
    func requireID() throws -> Int {
        guard let id else { throw Abort(.internalServerError, reason: "organisation without id") }
        return id
    }
}

/// The countries of Europe (GeoNames), for names and filters.
final class Country: Model, @unchecked Sendable {
    static let schema = "countries"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "languages") var languages: String

    init() {}
    init(code: String, name: String, languages: String) { self.id = code; self.name = name; self.languages = languages }
}

/// Counters that tell other app processes that shared data changed (the directory, say), so that their
/// in-memory copies are rebuilt.
enum AppState {
    static let schema = "app_state"
}
