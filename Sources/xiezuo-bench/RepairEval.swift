import ArgumentParser
import Foundation
import XiezuoText

/// The repair evaluation: clean documents through the simulated pipeline, repaired, character error rate; controls
/// that must come back unchanged; and throughput on both.
struct RepairEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair-eval",
        abstract: "Character error rate of the repair on simulated corruption, changes on clean controls, throughput.")
    @Option(help: "Folder with clean/ and controls/ documents.") var fixtures = "Tests/XiezuoTextTests/Fixtures"
    @Option(help: "Pipeline seeds (dictionaries) to simulate.") var seeds = 3
    @Option(help: "Corruption strengths: percent of Traditional forms the annotation dictionary holds, comma-separated.")
    var shares = "20,40,70"
    @Flag(
        help:
            "Print each development document that has errors, with the differing stretches (never the test part's: it is not looked at while tuning)."
    )
    var verbose = false
    @Flag(help: "Skip the throughput measurements (error rates and controls only).") var noSpeed = false
    @Flag(help: "Skip the lost-pair search, to measure what it costs and gains.") var withoutLostPairs = false
    @Option(
        help:
            "Also write the long garbled document and the clean text to this folder (garbled.txt, clean.txt), to time other tools on the same files.")
    var writeCorpus: String?

    @Option(help: "Garble this text with every seed and strength and show the repair (for looking at one case).") var show: String?

    func run() throws {
        let repairer = Repairer(restoreLostPairs: !withoutLostPairs)
        if let show {
            for seed in 1...UInt64(seeds) {
                for share in shares.split(separator: ",").compactMap({ UInt64($0) }) {
                    let g = PipelineSimulator(seed: seed, share: share).garble(show)
                    let r = repairer.repair(g)
                    print("seed \(seed) share \(share)\n  garbled:  \(g)\n  repaired: \(r.text)\n  \(r.report.reason)")
                }
            }
            return
        }
        func load(_ sub: String) throws -> [(String, String)] {
            let dir = URL(fileURLWithPath: fixtures).appendingPathComponent(sub)
            return try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted().map {
                ($0, try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8))
            }
        }
        let clean = try load("corpus/dev")
        let test = try load("corpus/test")
        let controls = try load("controls")
        let strengths = shares.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
        var garbledBytes = 0
        var seconds = 0.0
        var results: [(String, Int, Int, Int, Int)] = []  // part, documents, characters, errors, unsolved
        for (part, docs) in [("dev", clean), ("test", test)] {
            var errors = 0
            var total = 0
            var unsolved = 0
            for seed in 1...UInt64(seeds) {
                for share in strengths {
                    let sim = PipelineSimulator(seed: seed, share: share)
                    for (name, text) in docs {
                        let g = sim.garble(text)
                        garbledBytes += g.utf8.count
                        let start = Date()
                        let r = repairer.repair(g)
                        seconds += Date().timeIntervalSince(start)
                        let e = characterErrors(r.text, text)
                        errors += e
                        unsolved += r.report.unsolved.count
                        total += text.unicodeScalars.count
                        if verbose && part == "dev" && e > 0 {
                            print(
                                "== \(name) seed \(seed) share \(share): \(e) errors\n   garbled:  \(g)\n   repaired: \(r.text)\n   clean:    \(text)"
                            )
                        }
                    }
                }
            }
            results.append((part, docs.count * seeds * strengths.count, total, errors, unsolved))
        }
        if noSpeed {
            report(results, controls: controls, repairer: repairer)
            return
        }
        // One long garbled document (all of them, ten times), so per-document overhead does not count.
        var long = ""
        for seed in 1...UInt64(seeds) {
            let sim = PipelineSimulator(seed: seed)
            for (_, t) in clean { long += sim.garble(t) }
        }
        long = String(repeating: long, count: 10)
        if let dir = writeCorpus {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try long.write(toFile: dir + "/garbled.txt", atomically: true, encoding: .utf8)
        }
        let t1 = Date()
        _ = repairer.repair(long)
        let longSeconds = Date().timeIntervalSince(t1)
        print(
            String(
                format: "garbled, one long document: %d bytes in %.3f s (%.2f MB/s)", long.utf8.count, longSeconds,
                Double(long.utf8.count) / longSeconds / 1e6))
        // Clean text: the controls and clean documents repeated to about 20 MB, passed through.
        var big = ""
        let cleanAll = (clean + controls).map(\.1).joined()
        while big.utf8.count < 20_000_000 { big += cleanAll }
        if let dir = writeCorpus { try big.write(toFile: dir + "/clean.txt", atomically: true, encoding: .utf8) }
        let t0 = Date()
        let passed = repairer.repair(big)
        let cleanSeconds = Date().timeIntervalSince(t0)
        precondition(passed.text == big)
        print(
            String(
                format: "clean pass-through: %d bytes in %.3f s (%.1f MB/s)", big.utf8.count, cleanSeconds,
                Double(big.utf8.count) / cleanSeconds / 1e6))
        report(results, controls: controls, repairer: repairer)
        print(
            String(
                format: "repair time: %.3f s for %d garbled bytes (%.2f MB/s)", seconds, garbledBytes,
                Double(garbledBytes) / seconds / 1e6))
    }

    /// Both parts' error rates and the controls.
    func report(_ results: [(String, Int, Int, Int, Int)], controls: [(String, String)], repairer: Repairer) {
        var changed = 0
        for (name, text) in controls {
            let e = characterErrors(repairer.repair(text).text, text)
            changed += e
            if e > 0 { print("control \(name) changed by \(e) characters") }
        }
        for (part, documents, total, errors, unsolved) in results {
            print(
                "simulated, \(part) part: "
                    + String(
                        format: "%d documents, %d characters, %d errors, CER %.3f%%, %d unsolved stretches", documents, total, errors,
                        100 * Double(errors) / Double(max(total, 1)), unsolved))
        }
        print("controls: \(controls.count) documents, \(changed) characters changed")
    }
}
