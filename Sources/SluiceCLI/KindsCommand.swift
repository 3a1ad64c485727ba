import ArgumentParser
import SluiceCatalog
import SluiceEngine

/// `sluice kinds`: the reference of every operator kind a job spec can name, rendered from the
/// same declarations the JobManager validates specs against (README's "Operator reference" is
/// `sluice kinds --markdown`).
struct Kinds: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe the operator kinds a job spec can use: inputs, output schema, keying, parameters, counters.",
        discussion: "Works offline: it prints this build's declarations, the ones the JobManager checks specs against.")

    @Argument(help: "Only these kinds (default: all).")
    var names: [String] = []

    @Flag(name: .long, help: "Markdown, as in README.md's operator reference.")
    var markdown = false

    func run() throws {
        var catalog = BuiltInKinds.catalog
        if !names.isEmpty {
            let chosen = try names.map { name in
                guard let kind = catalog[name] else {
                    let hint = catalog.closest(to: name).map { " (did you mean '\($0)'?)" } ?? ""
                    throw ValidationError("unknown kind '\(name)'\(hint); known: \(catalog.names().joined(separator: ", "))")
                }
                return kind
            }
            catalog = KindCatalog(chosen)
        }
        print(markdown ? KindReference.markdown(catalog) : KindReference.text(catalog), terminator: "")
    }
}
