dependencies { paths = ["../iam-s3-access"] }
