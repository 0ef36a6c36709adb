from flask import Blueprint

# Views register themselves on this blueprint; create_app imports them after all models.
bp = Blueprint("workflow", __name__)
