# Copy to instance/config.py. Every value here can also come from the environment.
# SECRET_KEY = "a long random value"          # required in production
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://freiraum@db.example/freiraum"
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"   # needed with more than one worker
# TRUSTED_PROXY_COUNT = 1                      # behind one reverse proxy
# IDEAS_PER_PAGE = 20
