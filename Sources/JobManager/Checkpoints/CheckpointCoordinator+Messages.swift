import SluiceProtocol

/// The messages the coordinator sends to TaskManagers.
extension CheckpointCoordinator {
    /// Sends `TriggerCheckpoint` to each source TaskManager; returns why the first unreachable
    /// one failed (the checkpoint cannot complete then), nil when all were reached.
    func sendTrigger(_ trigger: CheckpointDecision.Trigger) async -> String? {
        var message = _ProtoTriggerCheckpoint()
        message.jobID = job.jobID
        message.attempt = trigger.attempt
        message.checkpointID = trigger.checkpointID
        message.timestampMs = UInt64(clamping: trigger.timestamp)
        message.isFinal = trigger.isFinal
        message.drain = trigger.drain
        for taskManager in trigger.sourceTaskManagers {
            do {
                try await messenger.send(.with(.triggerCheckpoint(message)), to: taskManager)
            } catch {
                return "could not send the trigger to TaskManager \(taskManager): \(error)"
            }
        }
        return nil
    }

    func notifyComplete(_ completion: CheckpointDecision.Completion) async {
        var notice = _ProtoNotifyCheckpointComplete()
        notice.jobID = job.jobID
        notice.attempt = completion.attempt
        notice.checkpointID = completion.checkpoint.id
        await sendToAll(.with(.notifyCheckpointComplete(notice)), completion.taskManagers, checkpoint: notice.checkpointID)
    }

    func notifyAborted(_ abort: CheckpointDecision.Abort) async {
        var notice = _ProtoNotifyCheckpointAborted()
        notice.jobID = job.jobID
        notice.attempt = abort.attempt
        notice.checkpointID = abort.checkpointID
        notice.reason = abort.reason
        await sendToAll(.with(.notifyCheckpointAborted(notice)), abort.taskManagers, checkpoint: abort.checkpointID)
    }

    /// Sends `envelope` to each TaskManager; one that cannot be reached is logged, not fatal
    /// (it is lost, and failover restarts its tasks).
    private func sendToAll(_ envelope: _ProtoEnvelope, _ taskManagers: [String], checkpoint: UInt64) async {
        for taskManager in taskManagers {
            do {
                try await messenger.send(envelope, to: taskManager)
            } catch {
                logger.debug("checkpoint notice not delivered", metadata: [
                    "checkpoint": "\(checkpoint)", "taskmanager": "\(taskManager)", "message": "\(envelope.bodyName)", "error": "\(error)"])
            }
        }
    }
}
