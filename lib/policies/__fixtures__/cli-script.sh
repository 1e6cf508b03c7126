# 1. [tools] Create the artifact key (skip when it exists)
aws kms create-key --key-spec SYMMETRIC_DEFAULT --key-usage ENCRYPT_DECRYPT --description 'CodePipeline artifact key for us-east-1 (crossline portal)' --tags TagKey=portal:managed-by,TagValue=crossline-portal TagKey=portal:onboarding,TagValue=onb_ref01 --profile tools --region us-east-1

# 2. [tools] Name the key
aws kms create-alias --alias-name alias/codepipeline-artifacts-us-east-1 --target-key-id arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab --profile tools --region us-east-1

# 3. [tools] Enable key rotation
aws kms enable-key-rotation --key-id arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab --profile tools --region us-east-1

# 4. [tools] Create the artifact bucket (skip when it exists)
aws s3api create-bucket --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --object-ownership BucketOwnerEnforced --profile tools --region us-east-1

# 5. [tools] Tag the bucket
aws s3api put-bucket-tagging --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --tagging 'TagSet=[{Key=portal:managed-by,Value=crossline-portal},{Key=portal:onboarding,Value=onb_ref01}]' --expected-bucket-owner 111111111111 --profile tools --region us-east-1

# 6. [tools] Disable ACLs
aws s3api put-bucket-ownership-controls --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]' --expected-bucket-owner 111111111111 --profile tools --region us-east-1

# 7. [tools] Block all public access
aws s3api put-public-access-block --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true --expected-bucket-owner 111111111111 --profile tools --region us-east-1

# 8. [tools] Encrypt with the key by default (reads bucket-encryption.json)
aws s3api put-bucket-encryption --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --server-side-encryption-configuration file://bucket-encryption.json --expected-bucket-owner 111111111111 --profile tools --region us-east-1

# 9. [tools] Turn on versioning
aws s3api put-bucket-versioning --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --versioning-configuration Status=Enabled --expected-bucket-owner 111111111111 --profile tools --region us-east-1

# 10. [tools] Create the pipeline service role (reads pipeline-role-trust.json)
aws iam create-role --role-name demo-service-main-us-east-1-pipeline-role --path /portal/ --assume-role-policy-document file://pipeline-role-trust.json --permissions-boundary arn:aws:iam::111111111111:policy/portal/crossline-portal-boundary --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile tools

# 11. [tools] Grant the pipeline service role its permissions (reads pipeline-role-policy.json)
aws iam put-role-policy --role-name demo-service-main-us-east-1-pipeline-role --policy-name portal-pipeline-access --policy-document file://pipeline-role-policy.json --profile tools

# 12. [tools] Create the CodeBuild service role (reads codebuild-role-trust.json)
aws iam create-role --role-name demo-service-main-us-east-1-codebuild-role --path /portal/ --assume-role-policy-document file://codebuild-role-trust.json --permissions-boundary arn:aws:iam::111111111111:policy/portal/crossline-portal-boundary --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile tools

# 13. [tools] Grant the CodeBuild service role its permissions (reads codebuild-role-policy.json)
aws iam put-role-policy --role-name demo-service-main-us-east-1-codebuild-role --policy-name portal-codebuild-access --policy-document file://codebuild-role-policy.json --profile tools

# 14. [tools] Create the build project (reads codebuild-project.json)
aws codebuild create-project --cli-input-json file://codebuild-project.json --profile tools --region us-east-1

# 15. [repo] Create the cross-account source role (reads cross-account-role-trust.json)
aws iam create-role --role-name demo-service-main-111111111111-us-east-1-xacct-source --path /portal/ --assume-role-policy-document file://cross-account-role-trust.json --permissions-boundary arn:aws:iam::222222222222:policy/portal/crossline-portal-boundary --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile repo

# 16. [repo] Grant the cross-account source role its permissions (reads cross-account-role-policy.json)
aws iam put-role-policy --role-name demo-service-main-111111111111-us-east-1-xacct-source --policy-name portal-source-access --policy-document file://cross-account-role-policy.json --profile repo

# 17. [tools] Let the repo account's portal roles use the key (reads key-policy.json)
aws kms put-key-policy --key-id arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab --policy-name default --policy file://key-policy.json --profile tools --region us-east-1

# 18. [tools] Let only this pipeline's roles read and write its artifacts (reads bucket-policy.json)
aws s3api put-bucket-policy --bucket codepipeline-artifacts-111111111111-us-east-1-ed9c51c8 --policy file://bucket-policy.json --expected-bucket-owner 111111111111 --profile tools --region us-east-1

# 19. [tools] Let the repo account send events to the default bus
aws events put-permission --event-bus-name default --action events:PutEvents --principal 222222222222 --statement-id portal-allow-222222222222 --profile tools --region us-east-1

# 20. [repo] Create the event forwarding role (reads forward-push-role-trust.json)
aws iam create-role --role-name demo-service-main-111111111111-us-east-1-forward-push-role --path /portal/ --assume-role-policy-document file://forward-push-role-trust.json --permissions-boundary arn:aws:iam::222222222222:policy/portal/crossline-portal-boundary --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile repo

# 21. [repo] Grant the event forwarding role its permissions (reads forward-push-role-policy.json)
aws iam put-role-policy --role-name demo-service-main-111111111111-us-east-1-forward-push-role --policy-name portal-forward-push --policy-document file://forward-push-role-policy.json --profile repo

# 22. [repo] Match pushes to the branch (reads event-pattern.json)
aws events put-rule --name demo-service-main-111111111111-forward-push --event-pattern file://event-pattern.json --state ENABLED --description 'Forward pushes to demo-service@main to account 111111111111' --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile repo --region us-east-1

# 23. [repo] Forward them to the tools account's default bus (reads repo-targets.json)
aws events put-targets --rule demo-service-main-111111111111-forward-push --targets file://repo-targets.json --profile repo --region us-east-1

# 24. [tools] Create the pipeline (this starts a first execution) (reads pipeline.json)
aws codepipeline create-pipeline --cli-input-json file://pipeline.json --profile tools --region us-east-1

# 25. [tools] Create the start-on-push role (reads start-on-push-role-trust.json)
aws iam create-role --role-name demo-service-main-us-east-1-start-on-push-role --path /portal/ --assume-role-policy-document file://start-on-push-role-trust.json --permissions-boundary arn:aws:iam::111111111111:policy/portal/crossline-portal-boundary --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile tools

# 26. [tools] Grant the start-on-push role its permissions (reads start-on-push-role-policy.json)
aws iam put-role-policy --role-name demo-service-main-us-east-1-start-on-push-role --policy-name portal-start-pipeline --policy-document file://start-on-push-role-policy.json --profile tools

# 27. [tools] Match the forwarded pushes (reads event-pattern.json)
aws events put-rule --name demo-service-main-start-on-push --event-pattern file://event-pattern.json --state ENABLED --description 'Start pipeline demo-service-main on pushes to demo-service@main' --tags Key=portal:managed-by,Value=crossline-portal Key=portal:onboarding,Value=onb_ref01 --profile tools --region us-east-1

# 28. [tools] Start the pipeline on each push (reads tools-targets.json)
aws events put-targets --rule demo-service-main-start-on-push --targets file://tools-targets.json --profile tools --region us-east-1
