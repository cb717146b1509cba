import { Module } from "@nestjs/common";
import { CommanderSetup } from "./common/commander-setup.js";
import { InitCommand } from "./init/init.command.js";
import { InitService } from "./init/init.service.js";
import { ValidateCommand } from "./validate/validate.command.js";
import { ValidateService } from "./validate/validate.service.js";

@Module({
  providers: [CommanderSetup, InitCommand, InitService, ValidateCommand, ValidateService],
})
export class CliModule {}
