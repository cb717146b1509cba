import { Module } from "@nestjs/common";
import { CommanderSetup } from "./common/commander-setup.js";
import { InitCommand } from "./init/init.command.js";
import { InitService } from "./init/init.service.js";
import { SenseQueryCommand } from "./sense/sense-query.command.js";
import { SenseSchemaCommand } from "./sense/sense-schema.command.js";
import { SenseCommand } from "./sense/sense.command.js";
import { StoreArchiveCommand } from "./store/store-archive.command.js";
import { StoreCommand } from "./store/store.command.js";
import { ValidateCommand } from "./validate/validate.command.js";
import { ValidateService } from "./validate/validate.service.js";

@Module({
  providers: [
    CommanderSetup,
    InitCommand,
    InitService,
    ValidateCommand,
    ValidateService,
    SenseCommand,
    SenseQueryCommand,
    SenseSchemaCommand,
    StoreCommand,
    StoreArchiveCommand,
  ],
})
export class CliModule {}
