import Foundation
import RapportCore
import Synchronization

/// A progress bar on a terminal for long imports, exports and backups: done of total, items per second, time left.
/// Draws nothing in the first second (a short job stays quiet), nothing when stderr is not a terminal, and at most
/// ten times a second.
final class ProgressBar: Sendable {
    private let output: Output
    private let noun: String
    private let started: Date
    private let enabled: Bool
    private let state = Mutex<(total: Int, drawn: Date?, shown: Bool)>((0, nil, false))

    /// `total` is an estimate (a file's line count) and may be updated; `noun` names the items ("rows").
    init(output: Output, total: Int, noun: String, enabled: Bool = true) {
        self.output = output
        self.noun = noun
        self.started = Date()
        self.enabled = enabled && output.isTerminal
        state.withLock { $0.total = self.enabled ? max(total, 1) : 0 }
    }

    /// Sets the total once it is known (a bar made before counting).
    func setTotal(_ total: Int) {
        guard enabled else { return }
        state.withLock { $0.total = max(total, 1) }
    }

    /// Reports that `done` items are finished.
    func update(_ done: Int) {
        let now = Date()
        let line: String? = state.withLock { s in
            guard s.total > 0, now.timeIntervalSince(started) >= 1, s.drawn.map({ now.timeIntervalSince($0) >= 0.1 }) ?? true else { return nil }
            s.drawn = now
            s.shown = true
            let total = max(s.total, done)
            let fraction = Double(done) / Double(total)
            let rate = Double(done) / max(now.timeIntervalSince(started), 0.001)
            let left = rate > 0 ? Int(saturating: Double(total - done) / rate) : 0
            let width = 24, filled = Int(fraction * Double(width))
            return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
                + "\(done)/\(total) \(noun), \(Int(rate))/s, \(left / 60):\(String(format: "%02d", left % 60)) left"
        }
        if let line { output.status(line) }
    }

    /// Clears the bar, if one was drawn.
    func finish() {
        if state.withLock({ $0.shown }) { output.status("") }
    }
}

/// A progress bar made once the total is known, shared between the callbacks of one import.
final class ProgressBox: Sendable {
    private let lock = Mutex<ProgressBar?>(nil)
    var value: ProgressBar? {
        get { lock.withLock { $0 } }
        set { lock.withLock { $0 = newValue } }
    }
}
