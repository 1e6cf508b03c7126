import type { ServiceDef } from "../registry";
import { registerResourceTagLookups } from "../resource-tags";
import { codebuildService } from "./codebuild";
import { codecommitService } from "./codecommit";
import { codepipelineService } from "./codepipeline";
import { eventsService } from "./events";
import { iamService } from "./iam";
import { kmsService } from "./kms";
import { logsService } from "./logs";
import { s3Service } from "./s3";
import { snsService } from "./sns";
import { notificationsService } from "./codestar-notifications";
import { stsService } from "./sts";

/** Every emulated service. Add a new service by writing services/<name>.ts and listing it here. */
export const SERVICES: ServiceDef[] = [
  stsService,
  iamService,
  codecommitService,
  kmsService,
  s3Service,
  eventsService,
  codebuildService,
  codepipelineService,
  snsService,
  notificationsService,
  logsService,
];

registerResourceTagLookups(SERVICES.flatMap((s) => s.resourceTags ?? []));
