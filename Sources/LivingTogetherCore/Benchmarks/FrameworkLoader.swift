import Foundation

/// What is wrong with a framework file: the file, the path of the field, and the problem.
public struct FrameworkError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var problem: String
    public init(file: String, path: String, problem: String) { self.file = file; self.path = path; self.problem = problem }
    public var description: String { "\(file): \(path.isEmpty ? "" : "\(path): ")\(problem)" }
}

/// All the problems of one framework file.
public struct FrameworkProblems: Error, Equatable, Sendable, CustomStringConvertible {
    public var errors: [FrameworkError]
    public init(_ errors: [FrameworkError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads and validates framework files. Every problem found is reported, not only the first.
public enum FrameworkLoader {
    public static func load(_ data: Data, file: String) -> Result<Framework, FrameworkProblems> {
        switch ContentChecker.decode(Framework.self, from: data, file: file) {
        case .failure(let p): return .failure(p)
        case .success(let framework):
            let problems = validate(framework, file: file)
            return problems.isEmpty ? .success(framework) : .failure(FrameworkProblems(problems))
        }
    }

    public static func validate(_ f: Framework, file: String) -> [FrameworkError] {
        var c = ContentChecker(file: file)
        c.identifier(f.id, "id")
        if f.version < 1 { c.fail("version", "must be 1 or more, not \(f.version)") }
        c.text(f.title, "title")
        c.text(f.rationale, "rationale")
        if f.licence.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("licence", "is empty") }
        if f.sources.isEmpty { c.fail("sources", "name at least one source") }
        for (i, s) in f.sources.enumerated() where s.title.trimmingCharacters(in: .whitespaces).isEmpty { c.fail("sources[\(i)].title", "is empty") }
        // The scale: values 1…n, each once, in order.
        if f.scale.levels.count < 2 { c.fail("scale.levels", "a scale needs at least two levels") }
        for (i, level) in f.scale.levels.enumerated() {
            if level.value != i + 1 { c.fail("scale.levels[\(i)].value", "expected \(i + 1): levels are numbered 1, 2, 3 … in order, found \(level.value)") }
            c.text(level.label, "scale.levels[\(i)].label")
            c.text(level.description, "scale.levels[\(i)].description")
        }
        c.unique(f.contextFactors.map(\.id), "contextFactors")
        for (i, cf) in f.contextFactors.enumerated() {
            c.identifier(cf.id, "contextFactors[\(i)].id")
            c.text(cf.label, "contextFactors[\(i)].label")
            if let h = cf.help { c.text(h, "contextFactors[\(i)].help") }
        }
        if f.keyFactors.isEmpty { c.fail("keyFactors", "a framework needs at least one key factor") }
        c.unique(f.keyFactors.map(\.id), "keyFactors")
        for (i, k) in f.keyFactors.enumerated() {
            let p = "keyFactors[\(i)]"
            c.identifier(k.id, "\(p).id")
            c.text(k.title, "\(p).title")
            c.text(k.rationale, "\(p).rationale")
            if k.questions.isEmpty { c.fail("\(p).questions", "a key factor needs at least one guiding question") }
            c.unique(k.questions.map(\.id), "\(p).questions")
            for (j, q) in k.questions.enumerated() {
                c.identifier(q.id, "\(p).questions[\(j)].id")
                c.text(q.text, "\(p).questions[\(j)].text")
            }
            for (j, t) in k.tips.enumerated() { c.text(t, "\(p).tips[\(j)]") }
            for (j, pr) in k.practices.enumerated() {
                c.text(pr.title, "\(p).practices[\(j)].title")
                c.text(pr.description, "\(p).practices[\(j)].description")
            }
        }
        return c.errors
    }
}
