import Foundation
import Hummingbird

/// Threads for blocking work (the synchronous OAI provider and its GRDB reads), kept off
/// Swift's cooperative pool. A producer blocked on a slow client holds one of these threads,
/// never a cooperative one.
final class BlockingWorkers: @unchecked Sendable {
    /// The process-wide pool.
    static let shared = BlockingWorkers(threads: 16)

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []

    init(threads: Int) {
        for i in 0..<threads {
            let t = Thread { [unowned self] in self.work() }
            t.name = "voreg-blocking-\(i)"
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Runs `job` on one of the threads, as soon as one is free.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}

/// A bounded hand-over of byte chunks from a synchronous producer thread to an async consumer.
/// The producer blocks while `capacity` chunks wait; once the consumer closes the pipe (the
/// client went away), pushes are dropped so the producer finishes its bounded page quickly.
final class ChunkPipe: @unchecked Sendable {
    enum Event {
        case chunk(ByteBuffer)
        case end
        case failed(any Error)
    }

    private let condition = NSCondition()
    private var queue: [ByteBuffer] = []
    private var ending: Event?
    private var closed = false
    private var waiter: CheckedContinuation<Event, Never>?
    let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Producer: hands over a chunk, waiting while the pipe is full.
    func push(_ chunk: ByteBuffer) {
        condition.lock()
        while queue.count >= capacity && !closed { condition.wait() }
        if closed {
            condition.unlock()
            return
        }
        if let w = waiter {
            waiter = nil
            condition.unlock()
            w.resume(returning: .chunk(chunk))
            return
        }
        queue.append(chunk)
        condition.unlock()
    }

    /// Producer: no more chunks; `error` if the response could not be completed.
    func finish(_ error: (any Error)?) {
        let event: Event = error.map { .failed($0) } ?? .end
        condition.lock()
        ending = event
        if let w = waiter {
            waiter = nil
            condition.unlock()
            w.resume(returning: event)
            return
        }
        condition.unlock()
    }

    /// Consumer: the next chunk, or how the stream ended.
    func next() async -> Event {
        await withCheckedContinuation { (c: CheckedContinuation<Event, Never>) in
            condition.lock()
            if !queue.isEmpty {
                let chunk = queue.removeFirst()
                condition.signal()
                condition.unlock()
                c.resume(returning: .chunk(chunk))
            } else if let ending {
                condition.unlock()
                c.resume(returning: ending)
            } else {
                waiter = c
                condition.unlock()
            }
        }
    }

    /// Consumer: stops reading; the producer's further chunks are dropped.
    func close() {
        condition.lock()
        closed = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
