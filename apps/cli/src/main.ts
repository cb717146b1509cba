#!/usr/bin/env node
// The `nerve` executable: a launcher that starts the CLI from its bundle when it can (see
// launch/launcher.ts), so that every command starts fast.
import { launch } from "./launch/launcher.js";

await launch();
