//! The metrics (SPEC §5, the variants of §12 and the extras analysts
//! recompute from), each defined once: its name in files and JSON, its
//! unit, its one-line definition, and its value computed from a [`Tally`]
//! (of a queue's day, or of its calls arriving in one interval). Every
//! output iterates [`Metric::QUEUE`]; nothing keeps a second list in step
//! by hand.

/// What a metric's values measure, for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A number of calls, callbacks or attempts.
    Count,
    /// A fraction between 0 and 1.
    Ratio,
    /// Seconds.
    Seconds,
}

/// Things counted within a replication (a queue's cohort, or one interval of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Offered,
    Answered,
    Abandoned,
    CallbacksOffered,
    CallbacksRequested,
    AnsweredWithinSl,
    /// Calls that found no agent free on arrival.
    Waited,
    CallbacksCompleted,
    CallbacksUnreached,
    CallbacksExpired,
    CallbackAttempts,
    /// Calls still holding when nobody was left to serve their queue.
    TimedOut,
    /// Abandoned with a wait of at most the service-level threshold.
    AbandonedWithinSl,
    /// Abandoned within the queue's `short_abandon`.
    ShortAbandoned,
    /// Customer-first callbacks whose customer answered, then hung up
    /// before an agent.
    CallbacksAbandoned,
    /// Accepted callbacks for a time the caller picked.
    CallbacksScheduled,
    /// Scheduled callbacks whose customer was connected.
    ScheduledConnected,
    /// Follow-ups agents created after the call or its callback.
    FollowUpsCreated,
    FollowUpsCompleted,
    FollowUpsUnreached,
    /// Calls that got a busy signal (`capacity` or `lines`).
    Blocked,
    /// Abandoned at once on finding no agent free.
    Balked,
    /// Arrivals that were a caller's redial.
    Redials,
    /// Redials answered, answered within the threshold, abandoned (first
    /// attempts' figures are the calls' less these).
    RedialsAnswered,
    RedialsAnsweredWithinSl,
    RedialsAbandoned,
    /// As-soon-as-possible callbacks connected to an agent (filed by the
    /// interval of connection).
    CallbacksHandled,
    /// Scheduled callbacks connected to an agent (by interval of connection).
    ScheduledHandled,
    /// Agent-created follow-ups connected to an agent (by interval of
    /// connection).
    FollowUpsHandled,
}

/// Number of [`Count`]s.
pub const N_COUNTS: usize = Count::FollowUpsHandled as usize + 1;

/// Durations summed within a replication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sum {
    /// Waits of answered calls.
    WaitAnswered,
    /// Every offered call's time on hold (until answered, abandoned or converted).
    WaitAll,
    /// Request → connect delays of completed callbacks.
    CallbackDelay,
    /// Scheduled time → connect of scheduled callbacks.
    CallbackLateness,
    /// Due → connect of completed follow-ups.
    FollowUpDelay,
}

/// Number of [`Sum`]s.
pub const N_SUMS: usize = Sum::FollowUpDelay as usize + 1;

/// Durations whose distribution is kept, for quantiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hist {
    /// Waits of answered calls.
    Wait,
    /// Request → connect delays of completed callbacks.
    CallbackDelay,
}

/// What a metric's value is computed from: the tallies of a queue (or all
/// queues) over the cohort, or of a queue's calls arriving in one interval.
/// A figure a tally does not keep is `NaN`.
pub trait Tally {
    fn count(&self, c: Count) -> f64;
    fn sum(&self, s: Sum) -> f64;
    /// The `p`-quantile of a histogram, seconds.
    fn quantile(&self, h: Hist, p: f64) -> f64;
}

/// `a / b`, undefined (`NaN`) when `b` is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { f64::NAN } else { a / b }
}

/// Defines [`Metric`] from one row per metric: variant, name, unit,
/// definition, and value.
macro_rules! metrics {
    ($( $variant:ident = $name:literal, $unit:ident,
        $definition:literal, |$t:ident| $value:expr; )*) => {
        /// A figure reported per queue and for `total` (and, for
        /// [`Metric::Occupancy`], per agent group).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Metric { $($variant,)* Occupancy }

        /// Number of per-queue metrics (all but [`Metric::Occupancy`]).
        pub const N_METRICS: usize = [$(Metric::$variant),*].len();

        impl Metric {
            /// The per-queue metrics, SPEC §5 first, in file and JSON order.
            pub const QUEUE: [Metric; N_METRICS] = [$(Metric::$variant),*];

            /// The name in files and JSON.
            pub fn name(self) -> &'static str {
                match self { $(Metric::$variant => $name,)* Metric::Occupancy => "occupancy" }
            }

            pub fn unit(self) -> Unit {
                match self { $(Metric::$variant => Unit::$unit,)* Metric::Occupancy => Unit::Ratio }
            }

            /// One line saying what the figure is.
            pub fn definition(self) -> &'static str {
                match self {
                    $(Metric::$variant => $definition,)*
                    Metric::Occupancy => "busy time / staffed time of the agent group",
                }
            }

            /// The figure from a tally (`NaN` when undefined, e.g. a ratio
            /// over nothing, and for occupancy, which no tally holds).
            pub fn value(self, t: &impl Tally) -> f64 {
                match self {
                    $(Metric::$variant => { let $t = t; $value })*
                    Metric::Occupancy => f64::NAN,
                }
            }
        }
    };
}

metrics! {
    Offered = "offered", Count, "inbound calls arrived",
        |t| t.count(Count::Offered);
    Answered = "answered", Count, "inbound calls connected to an agent while holding",
        |t| t.count(Count::Answered);
    Abandoned = "abandoned", Count,
        "inbound calls that hung up while holding, callback not accepted",
        |t| t.count(Count::Abandoned);
    CallbacksOffered = "callbacks_offered", Count, "inbound calls offered a callback",
        |t| t.count(Count::CallbacksOffered);
    CallbacksRequested = "callbacks_requested", Count,
        "calls converted to a callback (neither answered nor abandoned)",
        |t| t.count(Count::CallbacksRequested);
    AbandonRate = "abandon_rate", Ratio, "abandoned / offered",
        |t| ratio(t.count(Count::Abandoned), t.count(Count::Offered));
    ServiceLevel = "service_level", Ratio, "answered within T / (answered + abandoned)",
        |t| ratio(
            t.count(Count::AnsweredWithinSl),
            t.count(Count::Answered) + t.count(Count::Abandoned),
        );
    Asa = "asa", Seconds, "mean wait of answered calls, seconds",
        |t| ratio(t.sum(Sum::WaitAnswered), t.count(Count::Answered));
    WaitP50 = "wait_p50", Seconds, "median wait of answered calls, seconds",
        |t| t.quantile(Hist::Wait, 0.5);
    WaitP90 = "wait_p90", Seconds, "90th percentile wait of answered calls, seconds",
        |t| t.quantile(Hist::Wait, 0.9);
    WaitP99 = "wait_p99", Seconds, "99th percentile wait of answered calls, seconds",
        |t| t.quantile(Hist::Wait, 0.99);
    CallbacksCompleted = "callbacks_completed", Count,
        "callbacks whose customer was reached and served",
        |t| t.count(Count::CallbacksCompleted);
    CallbacksUnreached = "callbacks_unreached", Count,
        "callbacks that used all attempts without reaching the customer",
        |t| t.count(Count::CallbacksUnreached);
    CallbacksExpired = "callbacks_expired", Count, "callbacks dropped by expire_after",
        |t| t.count(Count::CallbacksExpired);
    CallbackAttempts = "callback_attempts", Count, "outbound dial attempts",
        |t| t.count(Count::CallbackAttempts);
    CallbackDelayMean = "callback_delay_mean", Seconds,
        "request to customer connected, completed callbacks, seconds",
        |t| ratio(t.sum(Sum::CallbackDelay), t.count(Count::CallbacksCompleted));
    CallbackDelayP90 = "callback_delay_p90", Seconds,
        "90th percentile of callback delay, seconds",
        |t| t.quantile(Hist::CallbackDelay, 0.9);
    AnsweredWithinSl = "answered_within_sl", Count, "answered calls that waited at most T",
        |t| t.count(Count::AnsweredWithinSl);
    PWait = "p_wait", Ratio, "share of offered calls that found no agent free on arrival",
        |t| ratio(t.count(Count::Waited), t.count(Count::Offered));
    MeanWait = "mean_wait", Seconds,
        "mean time on hold of all offered calls (answered, abandoned, converted or timed out), seconds",
        |t| ratio(t.sum(Sum::WaitAll), t.count(Count::Offered));
    TimedOut = "timed_out", Count,
        "inbound calls sent to voicemail: still holding after max_wait, or when nobody was left to serve their queue (at its close)",
        |t| t.count(Count::TimedOut);
    CallbacksAbandoned = "callbacks_abandoned", Count,
        "customer-first callbacks: the customer answered, then hung up before an agent took the call",
        |t| t.count(Count::CallbacksAbandoned);
    CallbacksScheduled = "callbacks_scheduled", Count,
        "accepted callbacks for a time the caller picked",
        |t| t.count(Count::CallbacksScheduled);
    CallbackLatenessMean = "callback_lateness_mean", Seconds,
        "scheduled time to customer connected, scheduled callbacks, seconds",
        |t| ratio(t.sum(Sum::CallbackLateness), t.count(Count::ScheduledConnected));
    FollowUpsCreated = "follow_ups_created", Count,
        "follow-ups agents created after answered calls and completed callbacks",
        |t| t.count(Count::FollowUpsCreated);
    FollowUpsCompleted = "follow_ups_completed", Count,
        "follow-ups whose customer was reached and served",
        |t| t.count(Count::FollowUpsCompleted);
    FollowUpsUnreached = "follow_ups_unreached", Count,
        "follow-ups not completed: every attempt unanswered, or nobody left to serve the queue",
        |t| t.count(Count::FollowUpsUnreached);
    FollowUpDelayMean = "follow_up_delay_mean", Seconds,
        "follow-up due to customer connected, completed follow-ups, seconds",
        |t| ratio(t.sum(Sum::FollowUpDelay), t.count(Count::FollowUpsCompleted));
    Blocked = "blocked", Count,
        "inbound calls that got a busy signal: the queue's capacity or lines were full",
        |t| t.count(Count::Blocked);
    Balked = "balked", Count,
        "abandoned calls that hung up at once on finding no agent free (part of abandoned)",
        |t| t.count(Count::Balked);
    Redials = "redials", Count,
        "offered calls that were a caller's redial after abandoning or a busy signal",
        |t| t.count(Count::Redials);
    FirstAttempts = "first_attempts", Count,
        "offered calls that were a caller's first attempt (offered - redials)",
        |t| t.count(Count::Offered) - t.count(Count::Redials);
    AbandonRateFirst = "abandon_rate_first", Ratio,
        "abandon_rate of first attempts only: first attempts abandoned / first_attempts",
        |t| ratio(
            t.count(Count::Abandoned) - t.count(Count::RedialsAbandoned),
            t.count(Count::Offered) - t.count(Count::Redials),
        );
    ServiceLevelFirst = "service_level_first", Ratio,
        "service_level of first attempts only: answered within T / (answered + abandoned), first attempts",
        |t| ratio(
            t.count(Count::AnsweredWithinSl) - t.count(Count::RedialsAnsweredWithinSl),
            t.count(Count::Answered) - t.count(Count::RedialsAnswered) + t.count(Count::Abandoned)
                - t.count(Count::RedialsAbandoned),
        );
    AbandonedWithinSl = "abandoned_within_sl", Count,
        "abandoned calls that waited at most T",
        |t| t.count(Count::AbandonedWithinSl);
    ShortAbandoned = "short_abandoned", Count,
        "abandoned calls that waited at most the queue's short_abandon",
        |t| t.count(Count::ShortAbandoned);
    SlOfAnswered = "sl_of_answered", Ratio, "answered within T / answered",
        |t| ratio(t.count(Count::AnsweredWithinSl), t.count(Count::Answered));
    SlOfOffered = "sl_of_offered", Ratio, "answered within T / offered",
        |t| ratio(t.count(Count::AnsweredWithinSl), t.count(Count::Offered));
    SlExcludingShort = "sl_excluding_short", Ratio,
        "answered within T / (answered + abandoned - short_abandoned)",
        |t| ratio(
            t.count(Count::AnsweredWithinSl),
            t.count(Count::Answered) + t.count(Count::Abandoned) - t.count(Count::ShortAbandoned),
        );
    CallbacksHandled = "callbacks_handled", Count,
        "as-soon-as-possible callbacks connected to an agent; per interval by the interval it is connected in, not the call's arrival interval",
        |t| t.count(Count::CallbacksHandled);
    ScheduledHandled = "scheduled_handled", Count,
        "scheduled callbacks connected to an agent; per interval by the interval it is connected in, not the call's arrival interval",
        |t| t.count(Count::ScheduledHandled);
    FollowUpsHandled = "follow_ups_handled", Count,
        "agent-created follow-ups connected to an agent; per interval by the interval it is connected in, not the call's arrival interval",
        |t| t.count(Count::FollowUpsHandled);
}

impl Metric {
    /// The metric with this name in files and JSON.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::QUEUE
            .into_iter()
            .chain([Metric::Occupancy])
            .find(|m| m.name() == name)
    }

    /// Index of a per-queue metric in a replication's values.
    #[inline]
    pub fn index(self) -> usize {
        debug_assert!(self != Metric::Occupancy, "occupancy is per agent group");
        self as usize
    }
}
