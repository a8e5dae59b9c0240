import Fluent
import LivingTogetherCore
import Vapor

/// The directory pages: the searchable list, a profile per organisation, editing profile facts, and
/// creating organisations (platform administrators).
struct DirectoryController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(.directory, use: list)
        routes.get(.organisation(nil), use: profile)
        routes.get(.organisationEdit(nil), use: editForm)
        routes.post(.organisationEdit(nil), use: edit)
        routes.get(.organisationNew, use: newForm)
        routes.post(.organisationNew, use: create)
    }

    /// Reads the list's query string, ignoring values it does not know rather than failing.
    static func query(from req: Request) -> DirectoryQuery {
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        let country = ((try? req.query.get(String.self, at: "country")) ?? "").uppercased()
        let band = ((try? req.query.get(String.self, at: "band")) ?? "").lowercased()
        let kind = ((try? req.query.get(String.self, at: "kind")) ?? "").lowercased()
        let page = (try? req.query.get(Int.self, at: "page")) ?? 1
        let perPage = (try? req.query.get(Int.self, at: "per_page")) ?? 20
        return DirectoryQuery(text: String(q.prefix(200)), country: country.count == 2 ? country : nil, band: SizeBand(rawValue: band),
                              kind: OrganisationKind(rawValue: kind), page: page, perPage: perPage)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let index = try await req.application.directoryIndex.index(on: req.db, logger: req.logger)
        var query = Self.query(from: req)
        var result = index.search(query)
        // A page past the end (an old link, a typed number) shows the last page, not "page 9 of 2" over nothing.
        if result.entries.isEmpty, result.total > 0, query.page > result.pageCount {
            query.page = result.pageCount
            result = index.search(query)
        }
        let directory = req.application.directoryIndex
        return DirectoryViews.list(req.page(), query: query, result: result, countries: directory.countries(Translator(req.language)),
                                   regionName: { directory.regionName($0, country: $1) })
    }

    @Sendable func profile(req: Request) async throws -> Response {
        guard let org = try await Organisation.find(try req.intParameter("id"), on: req.db) else { throw Abort(.notFound) }
        let id = try org.requireID()
        let countryName = req.application.directoryIndex.countryName(org.country, Translator(req.language))
        let canSeeMembers = DirectoryPermissions.allows(req.actor, .viewMembers(organisation: id))
        let memberCount = canSeeMembers ? try await Membership.query(on: req.db).filter(\.$organisation.$id == id).count() : nil
        let reports = try await BenchmarkController.publishedReports(organisation: id, framework: nil, req: req)
        // Its members find, from here, the actions of other municipalities they report on as a partner.
        let reporting = req.actor.role(in: id) != nil ? try await PlanUseCases.partnerWork(of: [id], on: req.db).count : 0
        let regionName = req.application.directoryIndex.regionName(org.region, country: org.country)
        return DirectoryViews.profile(req.page(), org: org, countryName: countryName, regionName: regionName, actor: req.actor,
                                      memberCount: memberCount,
                                      reports: reports, reportingCount: reporting)
    }

    // MARK: editing profile facts

    struct ProfileForm: Content {
        var name: String?
        var kind: String?
        var country: String?
        var region: String?
        var population: String?
        var latitude: String?
        var longitude: String?
        var born_abroad_percent: String?
        var languages: String?
        var budget_band: String?
        var website: String?
        var description: String?
        var alternate_names: String?

        enum CodingKeys: String, CodingKey {
            case name, kind, country, region, population, latitude, longitude, born_abroad_percent, languages, budget_band, website, description
            case alternate_names
        }

        /// Reads text fields, and numbers sent as JSON numbers (the API) or as text (forms).
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func text(_ key: CodingKeys) throws -> String? {
                guard c.contains(key) else { return nil }
                if try c.decodeNil(forKey: key) { return "" }
                if let s = try? c.decode(String.self, forKey: key) { return s }
                if let i = try? c.decode(Int.self, forKey: key) { return String(i) }
                if let d = try? c.decode(Double.self, forKey: key) { return String(d) }
                return try c.decode(String.self, forKey: key)  // throws the decoding error for other types
            }
            name = try text(.name); kind = try text(.kind); country = try text(.country); region = try text(.region)
            population = try text(.population); latitude = try text(.latitude); longitude = try text(.longitude)
            born_abroad_percent = try text(.born_abroad_percent); languages = try text(.languages)
            budget_band = try text(.budget_band); website = try text(.website); description = try text(.description)
            // The API may send a list of names; a form sends them separated by semicolons.
            if let list = try? c.decode([String].self, forKey: .alternate_names) {
                alternate_names = list.joined(separator: AlternateNames.separator)
            } else {
                alternate_names = try text(.alternate_names)
            }
        }

        init(from org: Organisation) {
            name = org.name; kind = org.kind; country = org.country; region = org.region
            population = org.population.map(String.init); latitude = org.latitude.map { String($0) }
            longitude = org.longitude.map { String($0) }; born_abroad_percent = org.bornAbroadPercent.map { String($0) }
            languages = org.languages; budget_band = org.budgetBand; website = org.website; description = org.summary
            alternate_names = org.alternateNames
        }
        init() {}
    }

    static let budgetBands = ["small", "medium", "large"]

    /// Validates the form and applies it to the organisation; nothing is applied when there is an error.
    static func validate(_ form: ProfileForm, into org: Organisation, countries: Set<String>, allowKind: Bool) -> FieldErrors {
        var e = FieldErrors()
        // Checked in the order of the form's fields, so that the error summary follows the form.
        var kind: OrganisationKind? = nil
        if allowKind {
            kind = OrganisationKind(rawValue: form.kind ?? "")
            if kind == nil { e.add("kind", "error.choice.unknown") }
        }
        let name = (form.name ?? "").trimmingWhitespace()
        AccountRules.checkName(name, into: &e)
        let country = (form.country ?? "").trimmingWhitespace().uppercased()
        if country.isEmpty { e.add("country", "error.country.missing") }
        else if !countries.contains(country) { e.add("country", "error.country.unknown", [country]) }
        func optionalNumber(_ field: String, _ raw: String?, _ range: ClosedRange<Double>) -> Double? {
            let s = (raw ?? "").trimmingWhitespace().replacingOccurrences(of: ",", with: ".")
            if s.isEmpty { return nil }
            guard let v = Numbers.read(s), range.contains(v) else {
                e.add(field, "error.number.range", [raw ?? "", String(format: "%g", range.lowerBound), String(format: "%g", range.upperBound)])
                return nil
            }
            return v
        }
        var population: Int? = nil
        let popText = (form.population ?? "").trimmingWhitespace().replacingOccurrences(of: " ", with: "")
        if !popText.isEmpty {
            if let p = Numbers.readWhole(popText), p >= 0, p <= 100_000_000 { population = p } else { e.add("population", "error.population.invalid", [form.population ?? ""]) }
        }
        let lat = optionalNumber("latitude", form.latitude, -90...90)
        let lon = optionalNumber("longitude", form.longitude, -180...180)
        if (lat == nil) != (lon == nil), e["latitude"] == nil, e["longitude"] == nil {
            e.add(lat == nil ? "latitude" : "longitude", "error.location.both")
        }
        let born = optionalNumber("born_abroad_percent", form.born_abroad_percent, 0...100)
        let band = (form.budget_band ?? "").trimmingWhitespace()
        if !band.isEmpty && !budgetBands.contains(band) { e.add("budget_band", "error.choice.unknown") }
        let website = (form.website ?? "").trimmingWhitespace()
        if !website.isEmpty && !(website.hasPrefix("https://") || website.hasPrefix("http://")) { e.add("website", "error.website.invalid") }
        let description = (form.description ?? "").trimmingWhitespace()
        if description.count > 2000 { e.add("description", "error.text.long", ["2000"]) }
        for (field, value, limit) in [("region", form.region, 120), ("languages", form.languages, 200), ("website", form.website, 500)]
        where (value ?? "").trimmingWhitespace().count > limit {
            e.add(field, "error.text.long", [String(limit)])
        }
        let otherNames = AlternateNames.split(form.alternate_names)
        if otherNames.contains(where: { $0.count > AlternateNames.maximumLength }) {
            e.add("alternate_names", "error.alternateNames.long", [String(AlternateNames.maximumLength)])
        } else if otherNames.count > AlternateNames.maximumCount {
            e.add("alternate_names", "error.alternateNames.many", [String(AlternateNames.maximumCount)])
        }
        guard e.isEmpty else { return e }
        org.alternateNames = AlternateNames.joined(AlternateNames.clean(otherNames, besides: name))
        org.name = name; org.searchName = SearchText.fold(name); org.slug = Slug.make(name)
        if let kind { org.kind = kind.rawValue }
        org.country = country
        org.region = (form.region ?? "").trimmingWhitespace().nilIfEmpty
        org.population = population; org.latitude = lat; org.longitude = lon; org.bornAbroadPercent = born
        org.languages = (form.languages ?? "").trimmingWhitespace().nilIfEmpty
        org.budgetBand = band.nilIfEmpty; org.website = website.nilIfEmpty; org.summary = description.nilIfEmpty
        return e
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let org = try await editable(req)
        return DirectoryViews.editForm(req.page(), org: org, form: ProfileForm(from: org), errors: FieldErrors(),
                                       countries: req.application.directoryIndex.countries(Translator(req.language)))
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let org = try await editable(req)
        let form = try req.content.decode(ProfileForm.self)
        let errors = Self.validate(form, into: org, countries: Set(req.application.directoryIndex.countries.map(\.code)), allowKind: false)
        guard errors.isEmpty else {
            return DirectoryViews.editForm(req.page(), org: org, form: form, errors: errors,
                                           countries: req.application.directoryIndex.countries(Translator(req.language)), status: .unprocessableEntity)
        }
        try await Self.store(org, req: req)
        let response = req.redirect(to: SiteURL.organisation(org.id).path, redirectType: .normal)
        Flash.set("flash.profileSaved", on: response)
        return response
    }

    /// Saves (or creates) an organisation and tells every process that the directory changed; this
    /// process's index is rebuilt at once so that the next page shows the change.
    static func store(_ org: Organisation, req: Request) async throws {
        try await req.db.transaction { tx in
            try await org.save(on: tx)
            try await DirectoryIndexCache.bump(on: tx)
        }
        try await req.application.directoryIndex.rebuild(on: req.db)
    }

    private func editable(_ req: Request) async throws -> Organisation {
        let id = try req.intParameter("id")
        try req.authorize(.editProfile(organisation: id))
        guard let org = try await Organisation.find(id, on: req.db) else { throw Abort(.notFound) }
        return org
    }

    // MARK: creating organisations

    @Sendable func newForm(req: Request) async throws -> Response {
        try req.authorize(.administerPlatform)
        var form = ProfileForm()
        form.kind = OrganisationKind.association.rawValue
        return DirectoryViews.newForm(req.page(), form: form, errors: FieldErrors(), countries: req.application.directoryIndex.countries(Translator(req.language)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.administerPlatform)
        let form = try req.content.decode(ProfileForm.self)
        let org = Organisation(kind: .municipality, name: "", country: "")
        let errors = Self.validate(form, into: org, countries: Set(req.application.directoryIndex.countries.map(\.code)), allowKind: true)
        guard errors.isEmpty else {
            return DirectoryViews.newForm(req.page(), form: form, errors: errors, countries: req.application.directoryIndex.countries(Translator(req.language)),
                                          status: .unprocessableEntity)
        }
        try await Self.store(org, req: req)
        let response = req.redirect(to: SiteURL.organisation(org.id).path, redirectType: .normal)
        Flash.set("flash.organisationCreated", on: response)
        return response
    }
}
