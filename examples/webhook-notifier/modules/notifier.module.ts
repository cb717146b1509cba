import { Module } from "@nestjs/common";
import { NerveWorkspace } from "@nerve/daemon";
import { CONFIG_FILE, NotifierConfig, loadNotifierConfig } from "./notifier/notifier-config.js";
import { WebhookNotifier } from "./notifier/webhook-notifier.service.js";

/**
 * Sends the signals of chosen senses to a webhook. Listed under `modules:` in nerve.yaml, the
 * daemon compiles and loads it; its providers get the daemon's services by type.
 */
@Module({
  providers: [
    {
      provide: NotifierConfig,
      useFactory: (workspace: NerveWorkspace) => loadNotifierConfig(workspace.path(CONFIG_FILE)),
      inject: [NerveWorkspace],
    },
    WebhookNotifier,
  ],
})
export class NotifierModule {}
