import Foundation
import Prometheus
import RegistryStore

/// The server's Prometheus metrics: requests by route, method and status, request latency
/// per route, and records in the store by status and visibility (refreshed on each scrape).
public final class ServerMetrics: Sendable {
    /// Requests in flight (the graceful stop waits for them).
    let inFlight = InFlightRequests()
    public let registry = PrometheusCollectorRegistry()

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
        namespace: "voreg", metricName: "http_requests", unitName: "total",
        helpText: "HTTP requests answered, by route, method and status code.")
    }
    static var latency: MetricNameDescriptor {
        MetricNameDescriptor(
        namespace: "voreg", metricName: "http_request_duration", unitName: "seconds",
        helpText: "Time from receiving a request to sending the last byte of its response, by route.")
    }
    static var records: MetricNameDescriptor {
        MetricNameDescriptor(
        namespace: "voreg", metricName: "records", unitName: "",
        helpText: "Records in the store, by status and visibility.")
    }

    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init() {}

    /// Counts one answered request.
    public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: Self.buckets)
            .record(duration)
    }

    /// Sets the records gauges; every status × visibility pair is written (0 when absent).
    public func setRecordCounts(_ counts: [RecordCount]) {
        for status in RecordStatus.allCases {
            for visibility in Visibility.allCases {
                let n = counts.first { $0.status == status.rawValue && $0.visibility == visibility.rawValue }?.count ?? 0
                registry.makeGauge(
                    descriptor: Self.records, labels: [("status", status.rawValue), ("visibility", visibility.rawValue)]
                ).set(Double(n))
            }
        }
    }

    /// The exposition text.
    public func render() -> [UInt8] {
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

/// Records in one (status, visibility) class.
public struct RecordCount: Sendable, Equatable {
    public var status: String
    public var visibility: String
    public var count: Int
}
