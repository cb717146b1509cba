import { Module } from "@nestjs/common";
import { WatchService } from "./watch.service.js";

@Module({ providers: [WatchService], exports: [WatchService] })
export class WatchModule {}
